using System.Text.RegularExpressions;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Checkpoints;
using NetLlm.Transformers.Config;
using NetLlm.Transformers.Modeling;

namespace NetLlm.Backbones.Llava;

/// <summary>
/// The LLaVa family: llava-hf checkpoints (<c>language_model.model.*</c>, <c>language_model.lm_head.*</c>,
/// <c>vision_tower.vision_model.*</c>, <c>multi_modal_projector.*</c>; the newer <c>model.language_model.*</c> layout
/// written by transformers 4.52+ is mapped too) and presets.
/// </summary>
public sealed partial class LlavaProvider : IBackboneProvider
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> PresetTable = new(() => PresetCatalog.Load(typeof(LlavaProvider).Assembly));

    /// <inheritdoc />
    public string Family => "llava";

    /// <inheritdoc />
    public IReadOnlyList<string> ModelTypes { get; } = ["llava"];

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
        var config = HfConfigReader.Read<LlavaConfig>(HfConfigReader.ParseFile(configPath), configPath, ModelTypes, requireKeys: true);
        return Build(config, modelDirectory, options);
    }

    /// <inheritdoc />
    public IBackbone FromConfig(string configJson, BackboneLoadOptions options) =>
        Build(HfConfigReader.Read<LlavaConfig>(configJson, "config.json (FromConfig)", ModelTypes), null, options);

    /// <summary>Checkpoint name mapping of llava-hf checkpoints (both layouts).</summary>
    /// <param name="config">Validated config.</param>
    public static CheckpointKeyMapping KeyMapping(LlavaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var ignored = new List<Regex> { PositionIds(), RotaryBuffer() };
        if (config.Text.TieWordEmbeddings)
        {
            ignored.Add(TiedHead());
        }

        return new CheckpointKeyMapping
        {
            PrefixRenames =
            [
                new("model.language_model.", "language_model.model."),
                new("model.vision_tower.", "vision_tower."),
                new("model.multi_modal_projector.", "multi_modal_projector."),
                new("lm_head.", "language_model.lm_head."),
            ],
            Ignored = ignored,
        };
    }

    private static LlavaBackbone Build(LlavaConfig config, string? directory, BackboneLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var placement = ModelPlacement.From(options);
        var model = PretrainedLoader.Build(
            () => new LlavaForConditionalGeneration(config, placement.DType, placement.Device),
            directory,
            options,
            KeyMapping(config),
            "LlavaForConditionalGeneration",
            m => WeightInitializer.Initialize(m, config.Text.InitializerRange, options.Seed));
        return new LlavaBackbone(model, placement);
    }

    [GeneratedRegex(@"vision_tower\.vision_model\.embeddings\.position_ids$")]
    private static partial Regex PositionIds();

    [GeneratedRegex(@"self_attn\.rotary_emb\.inv_freq$")]
    private static partial Regex RotaryBuffer();

    [GeneratedRegex(@"^(language_model\.)?lm_head\.weight$")]
    private static partial Regex TiedHead();
}
