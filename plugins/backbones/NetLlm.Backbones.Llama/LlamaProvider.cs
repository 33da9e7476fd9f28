using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;
using NetLlm.Backbones.Llama.Llama2C;
using NetLlm.Transformers.Config;
using NetLlm.Transformers.Modeling;

namespace NetLlm.Backbones.Llama;

/// <summary>
/// The Llama family: Hugging Face <c>llama</c> checkpoints (config.json + safetensors, sharded safetensors, or an
/// opted-in pytorch_model.bin), llama2.c checkpoints (a folder whose config.json has a <c>format</c> key starting with
/// <c>llama2.c</c>, next to one <c>.bin</c> file), and random-initialised presets.
/// </summary>
public sealed class LlamaProvider : IBackboneProvider
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> PresetTable = new(() => PresetCatalog.Load(typeof(LlamaProvider).Assembly));

    /// <inheritdoc />
    public string Family => "llama";

    /// <inheritdoc />
    public IReadOnlyList<string> ModelTypes { get; } = ["llama"];

    /// <inheritdoc />
    public IReadOnlyList<string> DefaultLoraTargets { get; } = ["q_proj", "v_proj"];

    /// <inheritdoc />
    public string? DefaultPreset => "llama-tiny-2x256";

    /// <inheritdoc />
    public bool CanLoad(string modelDirectory) =>
        HfConfigReader.ModelTypeOf(modelDirectory) is { } type ? ModelTypes.Contains(type, StringComparer.Ordinal) : Llama2CCheckpoint.IsLlama2CFolder(modelDirectory);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Presets => PresetTable.Value;

    /// <inheritdoc />
    /// <remarks>A llama2.c folder's config (dim, n_layers, ...) is converted to the Hugging Face keys.</remarks>
    public string ReadConfig(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, "config.json");
        var json = HfConfigReader.ParseFile(path);
        return Llama2CCheckpoint.IsLlama2CConfig(json) ? Llama2CCheckpoint.HuggingFaceConfig(json, path).ToJsonString() : json.ToJsonString();
    }

    /// <inheritdoc />
    public IBackbone FromPretrained(string modelDirectory, BackboneLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(modelDirectory);
        ArgumentNullException.ThrowIfNull(options);
        var configPath = Path.Combine(modelDirectory, "config.json");
        var json = HfConfigReader.ParseFile(configPath);
        if (Llama2CCheckpoint.IsLlama2CConfig(json))
        {
            return FromLlama2CFolder(modelDirectory, json, options);
        }

        var config = HfConfigReader.Read<LlamaConfig>(json, configPath, ModelTypes, requireKeys: true);
        var model = LlamaModelFactory.Build(config, modelDirectory, options);
        return new LlamaBackbone(model, Family, ModelPlacement.From(options));
    }

    /// <inheritdoc />
    public IBackbone FromConfig(string configJson, BackboneLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = HfConfigReader.Read<LlamaConfig>(configJson, "config.json (FromConfig)", ModelTypes);
        var model = LlamaModelFactory.Build(config, null, options);
        return new LlamaBackbone(model, Family, ModelPlacement.From(options));
    }

    /// <summary>
    /// Loads a llama2.c legacy checkpoint file (wq/wk permuted into the Hugging Face rotary layout). The caller owns
    /// the result.
    /// </summary>
    /// <param name="path">The <c>.bin</c> file.</param>
    /// <param name="options">Dtype and device.</param>
    /// <param name="normEps">RMSNorm epsilon (llama2.c uses 1e-5).</param>
    /// <param name="ropeTheta">Rotary base (llama2.c uses 10000).</param>
    public static LlamaBackbone FromLlama2C(string path, BackboneLoadOptions options, double normEps = 1e-5, double ropeTheta = 10000.0)
    {
        ArgumentNullException.ThrowIfNull(options);
        var placement = ModelPlacement.From(options);
        var (config, weights) = Llama2CCheckpoint.Read(path, normEps, ropeTheta);
        using (weights)
        {
            var model = PretrainedLoader.Build(() => LlamaModelFactory.Create(config, placement), weights, LlamaModelFactory.KeyMapping(config), config.Architecture);
            return new LlamaBackbone(model, "llama", placement);
        }
    }

    private static LlamaBackbone FromLlama2CFolder(string directory, JsonObject json, BackboneLoadOptions options)
    {
        var bins = Directory.GetFiles(directory, "*.bin");
        if (bins.Length != 1)
        {
            throw new InvalidDataException($"{directory}: a llama2.c model folder must hold exactly one .bin checkpoint, found {bins.Length}");
        }

        var eps = Number(json, "norm_eps", 1e-5, directory);
        var theta = Number(json, "rope_theta", 10000.0, directory);
        var backbone = FromLlama2C(bins[0], options, eps, theta);
        try
        {
            CheckDeclared(json, directory, backbone.Model.Config);
            return backbone;
        }
        catch
        {
            backbone.Dispose();
            throw;
        }
    }

    private static void CheckDeclared(JsonObject json, string directory, LlamaConfig actual)
    {
        var declared = new (string Key, int Value)[]
        {
            ("dim", actual.HiddenSize), ("hidden_dim", actual.IntermediateSize), ("n_layers", actual.NumHiddenLayers),
            ("n_heads", actual.NumAttentionHeads), ("n_kv_heads", actual.KeyValueHeads), ("vocab_size", actual.VocabSize),
            ("max_seq_len", actual.MaxPositionEmbeddings),
        };
        foreach (var (key, value) in declared)
        {
            if (json.TryGetPropertyValue(key, out var node) && node is not null && (int)Number(json, key, value, directory) != value)
            {
                throw new InvalidDataException($"{Path.Combine(directory, "config.json")}: '{key}' is {node.ToJsonString()} but the checkpoint header says {value}");
            }
        }
    }

    private static double Number(JsonObject json, string key, double fallback, string directory)
    {
        if (!json.TryGetPropertyValue(key, out var node) || node is null)
        {
            return fallback;
        }

        return node is JsonValue v && v.TryGetValue<double>(out var d)
            ? d
            : throw new InvalidDataException($"{Path.Combine(directory, "config.json")}: '{key}' must be a number, got {node.ToJsonString()}");
    }
}
