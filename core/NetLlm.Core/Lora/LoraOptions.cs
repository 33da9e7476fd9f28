using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace NetLlm.Core.Lora;

/// <summary>
/// LoRA configuration with PEFT's vocabulary and JSON names, so that <c>adapter_config.json</c> files move between
/// this framework and Python PEFT in both directions. Defaults follow the NetLLM original (r from the command line,
/// <c>lora_alpha</c> 32, dropout 0.05, q/v projections, no bias).
/// </summary>
public sealed record LoraOptions
{
    /// <summary>Rank r of the update.</summary>
    [JsonPropertyName("r")]
    public int Rank { get; init; } = 8;

    /// <summary>Scaling numerator: the update is multiplied by <c>lora_alpha / r</c> (or <c>/ sqrt(r)</c> with rsLoRA).</summary>
    [JsonPropertyName("lora_alpha")]
    public double Alpha { get; init; } = 32;

    /// <summary>Dropout on the adapter's input during training.</summary>
    [JsonPropertyName("lora_dropout")]
    public double Dropout { get; init; } = 0.05;

    /// <summary>
    /// Modules to adapt: a list of names, each matching a module path exactly or as a dotted suffix
    /// (<c>q_proj</c> matches <c>model.layers.0.self_attn.q_proj</c>); or, through <see cref="TargetModulesRegex"/>,
    /// a regular expression matched against the whole path; or <c>all-linear</c>.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "v_proj"];

    /// <summary>A regular expression over full module paths (PEFT's string form of <c>target_modules</c>).</summary>
    [JsonIgnore]
    public string? TargetModulesRegex { get; init; }

    /// <summary>Which biases train: <c>none</c>, <c>all</c> or <c>lora_only</c> (biases of adapted layers).</summary>
    [JsonPropertyName("bias")]
    public string Bias { get; init; } = "none";

    /// <summary>Extra modules (by name or suffix) whose parameters train fully and are saved with the adapter.</summary>
    [JsonPropertyName("modules_to_save")]
    public IReadOnlyList<string>? ModulesToSave { get; init; }

    /// <summary>Scale by <c>alpha / sqrt(r)</c> instead of <c>alpha / r</c>.</summary>
    [JsonPropertyName("use_rslora")]
    public bool UseRsLora { get; init; }

    /// <summary>PEFT task type recorded in the config (informational).</summary>
    [JsonPropertyName("task_type")]
    public string TaskType { get; init; } = "FEATURE_EXTRACTION";

    /// <summary>Model the adapter was trained on (informational).</summary>
    [JsonPropertyName("base_model_name_or_path")]
    public string? BaseModelNameOrPath { get; init; }

    /// <summary>The factor applied to <c>B A x</c>.</summary>
    [JsonIgnore]
    public double Scaling => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    /// <summary>The largest rank accepted (far above any useful rank; guards against allocating for a typo).</summary>
    public const int MaxRank = 65_536;

    /// <summary>The largest <c>lora_alpha</c> accepted.</summary>
    public const double MaxAlpha = 1e6;

    /// <summary>PEFT fields this framework does not implement: a file that uses one is refused rather than half-applied.</summary>
    private static readonly (string Key, Func<JsonNode?, bool> Unused, string Meaning)[] UnsupportedPeftFields =
    [
        ("alpha_pattern", n => n is null || n is JsonObject { Count: 0 }, "per-module lora_alpha"),
        ("rank_pattern", n => n is null || n is JsonObject { Count: 0 }, "per-module r"),
        ("layers_to_transform", n => n is null, "adapting only some layers"),
        ("layers_pattern", n => n is null || n is JsonArray { Count: 0 }, "the layer-name pattern of layers_to_transform"),
        ("use_dora", n => n is null || (n is JsonValue v && v.TryGetValue<bool>(out var b) && !b), "DoRA"),
        ("fan_in_fan_out", n => n is null || (n is JsonValue v && v.TryGetValue<bool>(out var b) && !b), "transposed (Conv1D) base weights"),
        ("use_qalora", n => n is null || (n is JsonValue v && v.TryGetValue<bool>(out var b) && !b), "QA-LoRA"),
    ];

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the field.</summary>
    public void Validate()
    {
        if (Rank is < 1 or > MaxRank)
        {
            throw new ArgumentException($"LoRA r must be an integer from 1 to {MaxRank} (got {Rank})");
        }

        if (!double.IsFinite(Alpha) || Alpha <= 0 || Alpha > MaxAlpha)
        {
            throw new ArgumentException($"lora_alpha must be a number above 0 and at most {MaxAlpha:G} (got {Alpha:G}): 0 makes the adapter do nothing, a negative value reverses it");
        }

        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new ArgumentException($"lora_dropout must be in [0, 1) (got {Dropout})");
        }

        if (Bias is not ("none" or "all" or "lora_only"))
        {
            throw new ArgumentException($"bias '{Bias}' is not one of none, all, lora_only");
        }

        if (TargetModulesRegex is null && TargetModules.Count == 0)
        {
            throw new ArgumentException("target_modules is empty");
        }
    }

    /// <summary>The <c>adapter_config.json</c> document (PEFT 0.6 layout).</summary>
    public JsonObject ToPeftJson() => new()
    {
        ["alpha_pattern"] = new JsonObject(),
        ["auto_mapping"] = null,
        ["base_model_name_or_path"] = BaseModelNameOrPath,
        ["bias"] = Bias,
        ["fan_in_fan_out"] = false,
        ["inference_mode"] = true,
        ["init_lora_weights"] = true,
        ["layers_pattern"] = null,
        ["layers_to_transform"] = null,
        ["lora_alpha"] = Alpha,
        ["lora_dropout"] = Dropout,
        ["modules_to_save"] = ModulesToSave is null ? null : new JsonArray(ModulesToSave.Select(m => (JsonNode?)m).ToArray()),
        ["peft_type"] = "LORA",
        ["r"] = Rank,
        ["rank_pattern"] = new JsonObject(),
        ["revision"] = null,
        ["target_modules"] = TargetModulesRegex is not null ? TargetModulesRegex : new JsonArray(TargetModules.Select(m => (JsonNode?)m).ToArray()),
        ["task_type"] = TaskType,
        ["use_rslora"] = UseRsLora,
    };

    /// <summary>Parses an <c>adapter_config.json</c>; errors name the file and the field.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="source">File name for messages.</param>
    public static LoraOptions FromPeftJson(string json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message})", e);
        }

        if (root is not JsonObject o)
        {
            throw new InvalidDataException($"{source}: must be a JSON object");
        }

        string? Text(string key) => o[key] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var text) => text,
            var other => throw new InvalidDataException($"{source}: '{key}' must be a string (got {other.ToJsonString()})"),
        };
        double Real(string key, double fallback) => o[key] switch
        {
            null => fallback,
            JsonValue v when v.TryGetValue<double>(out var x) => x,
            var other => throw new InvalidDataException($"{source}: '{key}' must be a number (got {other.ToJsonString()})"),
        };
        bool Flag(string key) => o[key] switch
        {
            null => false,
            JsonValue v when v.TryGetValue<bool>(out var x) => x,
            var other => throw new InvalidDataException($"{source}: '{key}' must be true or false (got {other.ToJsonString()})"),
        };
        IReadOnlyList<string> Names(string key, JsonArray array) => [.. array.Select((x, i) => x is JsonValue v && v.TryGetValue<string>(out var name) && name.Length > 0
            ? name
            : throw new InvalidDataException($"{source}: '{key}'[{i}] must be a module name (got {x?.ToJsonString() ?? "null"})"))];

        var peftType = Text("peft_type");
        if (peftType is not null && peftType != "LORA")
        {
            throw new InvalidDataException($"{source}: peft_type '{peftType}' is not supported (only LORA)");
        }

        foreach (var (key, unused, meaning) in UnsupportedPeftFields)
        {
            if (o.ContainsKey(key) && !unused(o[key]))
            {
                throw new InvalidDataException($"{source}: '{key}' ({meaning}) is set to {o[key]!.ToJsonString()}, which this framework does not implement; remove it or set it to its default to load the adapter");
            }
        }

        if (o["r"] is null)
        {
            throw new InvalidDataException($"{source}: missing key 'r'");
        }

        var rank = Real("r", 8);
        if (rank != Math.Floor(rank) || rank is < 1 or > MaxRank)
        {
            throw new InvalidDataException($"{source}: 'r' must be an integer from 1 to {MaxRank} (got {o["r"]!.ToJsonString()})");
        }

        IReadOnlyList<string> targets = [];
        string? regex = null;
        switch (o["target_modules"])
        {
            case JsonArray a:
                targets = Names("target_modules", a);
                break;
            case JsonValue v when v.TryGetValue<string>(out var s):
                if (s == "all-linear")
                {
                    targets = ["all-linear"];
                }
                else
                {
                    regex = s;
                }

                break;
            default:
                throw new InvalidDataException($"{source}: 'target_modules' must be a list of names or a regular expression");
        }

        var options = new LoraOptions
        {
            Rank = (int)rank,
            Alpha = Real("lora_alpha", 8),
            Dropout = Real("lora_dropout", 0),
            TargetModules = targets,
            TargetModulesRegex = regex,
            Bias = Text("bias") ?? "none",
            ModulesToSave = o["modules_to_save"] switch
            {
                null => null,
                JsonArray m => Names("modules_to_save", m),
                var other => throw new InvalidDataException($"{source}: 'modules_to_save' must be a list of module names or null (got {other.ToJsonString()})"),
            },
            UseRsLora = Flag("use_rslora"),
            TaskType = Text("task_type") ?? "FEATURE_EXTRACTION",
            BaseModelNameOrPath = Text("base_model_name_or_path"),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }

        return options;
    }
}
