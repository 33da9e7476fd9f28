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

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the field.</summary>
    public void Validate()
    {
        if (Rank < 1)
        {
            throw new ArgumentException($"LoRA r must be at least 1 (got {Rank})");
        }

        if (Dropout is < 0 or >= 1)
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
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message})", e);
        }

        if (root is not JsonObject o)
        {
            throw new InvalidDataException($"{source}: must be a JSON object");
        }

        var peftType = o["peft_type"]?.GetValue<string>();
        if (peftType is not null && peftType != "LORA")
        {
            throw new InvalidDataException($"{source}: peft_type '{peftType}' is not supported (only LORA)");
        }

        int Int(string key, int fallback) => o[key] is JsonValue v ? (int)v.GetValue<double>() : fallback;
        double Real(string key, double fallback) => o[key] is JsonValue v ? v.GetValue<double>() : fallback;
        if (o["r"] is null)
        {
            throw new InvalidDataException($"{source}: missing key 'r'");
        }

        IReadOnlyList<string> targets = [];
        string? regex = null;
        switch (o["target_modules"])
        {
            case JsonArray a:
                targets = a.Select(x => x!.GetValue<string>()).ToList();
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
            Rank = Int("r", 8),
            Alpha = Real("lora_alpha", 8),
            Dropout = Real("lora_dropout", 0),
            TargetModules = targets,
            TargetModulesRegex = regex,
            Bias = o["bias"]?.GetValue<string>() ?? "none",
            ModulesToSave = o["modules_to_save"] is JsonArray m ? m.Select(x => x!.GetValue<string>()).ToList() : null,
            UseRsLora = o["use_rslora"] is JsonValue r && r.GetValue<bool>(),
            TaskType = o["task_type"]?.GetValue<string>() ?? "FEATURE_EXTRACTION",
            BaseModelNameOrPath = o["base_model_name_or_path"]?.GetValue<string>(),
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
