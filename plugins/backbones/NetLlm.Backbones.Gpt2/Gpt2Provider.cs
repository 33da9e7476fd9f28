using System.Text.RegularExpressions;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Checkpoints;
using NetLlm.Transformers.Config;
using NetLlm.Transformers.Modeling;

namespace NetLlm.Backbones.Gpt2;

/// <summary>
/// The GPT-2 family: Hugging Face <c>gpt2</c> checkpoints (either <c>GPT2LMHeadModel</c> keys with the
/// <c>transformer.</c> prefix or base-model keys without it, as the published gpt2 checkpoints have) and presets.
/// </summary>
public sealed partial class Gpt2Provider : IBackboneProvider
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> PresetTable = new(() => PresetCatalog.Load(typeof(Gpt2Provider).Assembly));

    /// <inheritdoc />
    public string Family => "gpt2";

    /// <inheritdoc />
    public IReadOnlyList<string> ModelTypes { get; } = ["gpt2"];

    /// <inheritdoc />
    public IReadOnlyList<string> DefaultLoraTargets { get; } = ["c_attn"];

    /// <inheritdoc />
    public bool CanLoad(string modelDirectory) => HfConfigReader.ModelTypeOf(modelDirectory) is { } type && ModelTypes.Contains(type, StringComparer.Ordinal);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Presets => PresetTable.Value;

    /// <inheritdoc />
    public IBackbone FromPretrained(string modelDirectory, BackboneLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(modelDirectory);
        var configPath = Path.Combine(modelDirectory, "config.json");
        var config = HfConfigReader.Read<Gpt2Config>(HfConfigReader.ParseFile(configPath), configPath, ModelTypes, requireKeys: true);
        return Build(config, modelDirectory, options);
    }

    /// <inheritdoc />
    public IBackbone FromConfig(string configJson, BackboneLoadOptions options) =>
        Build(HfConfigReader.Read<Gpt2Config>(configJson, "config.json (FromConfig)", ModelTypes), null, options);

    /// <summary>
    /// Checkpoint name mapping: base-model keys get <c>transformer.</c>; the causal-mask buffers older checkpoints
    /// store (<c>attn.bias</c>, <c>attn.masked_bias</c>) and a tied <c>lm_head.weight</c> are ignored.
    /// </summary>
    /// <param name="config">Model config.</param>
    public static CheckpointKeyMapping KeyMapping(Gpt2Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var ignored = new List<Regex> { MaskBuffer() };
        if (config.TieWordEmbeddings)
        {
            ignored.Add(TiedHead());
        }

        return new CheckpointKeyMapping { BaseModelPrefix = "transformer.", Ignored = ignored };
    }

    private static Gpt2Backbone Build(Gpt2Config config, string? directory, BackboneLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var placement = ModelPlacement.From(options);
        var model = PretrainedLoader.Build(
            () => new Gpt2LMHeadModel(config, placement.DType, placement.Device),
            directory,
            options,
            KeyMapping(config),
            "GPT2LMHeadModel",
            m => WeightInitializer.Initialize(m, config.InitializerRange, options.Seed,
                name => name.EndsWith("c_proj.weight", StringComparison.Ordinal) ? config.InitializerRange / Math.Sqrt(2.0 * config.NLayer) : null));
        return new Gpt2Backbone(model, placement);
    }

    [GeneratedRegex(@"^(transformer\.)?h\.\d+\.attn\.(masked_)?bias$")]
    private static partial Regex MaskBuffer();

    [GeneratedRegex(@"^lm_head\.weight$")]
    private static partial Regex TiedHead();
}
