using System.Text.RegularExpressions;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Checkpoints;
using NetLlm.Transformers.Config;
using NetLlm.Transformers.Modeling;

namespace NetLlm.Backbones.Opt;

/// <summary>
/// The OPT family: Hugging Face <c>opt</c> checkpoints (<c>OPTForCausalLM</c> keys with <c>model.</c>, or base-model
/// keys <c>decoder.*</c> as the published facebook/opt checkpoints have) and presets.
/// </summary>
public sealed partial class OptProvider : IBackboneProvider
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> PresetTable = new(() => PresetCatalog.Load(typeof(OptProvider).Assembly));

    /// <inheritdoc />
    public string Family => "opt";

    /// <inheritdoc />
    public IReadOnlyList<string> ModelTypes { get; } = ["opt"];

    /// <inheritdoc />
    public IReadOnlyList<string> DefaultLoraTargets { get; } = ["q_proj", "v_proj"];

    /// <inheritdoc />
    public bool CanLoad(string modelDirectory) => HfConfigReader.ModelTypeOf(modelDirectory) is { } type && ModelTypes.Contains(type, StringComparer.Ordinal);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Presets => PresetTable.Value;

    /// <inheritdoc />
    public IBackbone FromPretrained(string modelDirectory, BackboneLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(modelDirectory);
        var configPath = Path.Combine(modelDirectory, "config.json");
        var config = HfConfigReader.Read<OptConfig>(HfConfigReader.ParseFile(configPath), configPath, ModelTypes, requireKeys: true);
        return Build(config, modelDirectory, options);
    }

    /// <inheritdoc />
    public IBackbone FromConfig(string configJson, BackboneLoadOptions options) =>
        Build(HfConfigReader.Read<OptConfig>(configJson, "config.json (FromConfig)", ModelTypes), null, options);

    /// <summary>Checkpoint name mapping: base-model keys get <c>model.</c>; a tied <c>lm_head.weight</c> is ignored.</summary>
    /// <param name="config">Model config.</param>
    public static CheckpointKeyMapping KeyMapping(OptConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new CheckpointKeyMapping { BaseModelPrefix = "model.", Ignored = config.TieWordEmbeddings ? [TiedHead()] : [] };
    }

    private static OptBackbone Build(OptConfig config, string? directory, BackboneLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var placement = ModelPlacement.From(options);
        var model = PretrainedLoader.Build(
            () => new OptForCausalLM(config, placement.DType, placement.Device),
            directory,
            options,
            KeyMapping(config),
            "OPTForCausalLM",
            m => WeightInitializer.Initialize(m, config.InitStd, options.Seed));
        return new OptBackbone(model, placement);
    }

    [GeneratedRegex(@"^lm_head\.weight$")]
    private static partial Regex TiedHead();
}
