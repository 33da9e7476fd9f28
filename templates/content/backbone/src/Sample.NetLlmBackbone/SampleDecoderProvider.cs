using System.Text.RegularExpressions;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Checkpoints;
using NetLlm.Transformers.Config;
using NetLlm.Transformers.Modeling;

namespace Sample.NetLlmBackbone;

/// <summary>
/// The <c>sample-decoder</c> family: model folders whose config.json says <c>"model_type": "sample-decoder"</c>
/// (config.json plus model.safetensors, a sharded index, or an opted-in pytorch_model.bin) and the presets embedded
/// under <c>Presets/</c> (random-initialised with a seed, for experiments without weights:
/// <c>netllm adapt --backbone sample-decoder-tiny ...</c>).
/// </summary>
public sealed partial class SampleDecoderProvider : IBackboneProvider
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> PresetTable = new(() => PresetCatalog.Load(typeof(SampleDecoderProvider).Assembly));

    /// <inheritdoc />
    public string Family => SampleDecoderConfig.Type;

    /// <inheritdoc />
    public IReadOnlyList<string> ModelTypes { get; } = [SampleDecoderConfig.Type];

    /// <inheritdoc />
    public IReadOnlyList<string> DefaultLoraTargets { get; } = ["q_proj", "v_proj"];

    /// <inheritdoc />
    /// <remarks>
    /// Null: at most one loaded family may name the preset netllm uses when neither a model folder nor a preset is
    /// given (the shipped Llama family names <c>llama-tiny-2x256</c>). Name one here only for a host without it.
    /// </remarks>
    public string? DefaultPreset => null;

    /// <inheritdoc />
    public bool CanLoad(string modelDirectory) => HfConfigReader.ModelTypeOf(modelDirectory) is { } type && ModelTypes.Contains(type, StringComparer.Ordinal);

    /// <inheritdoc />
    /// <remarks>The family's folders are Hugging Face folders, so the description is their config.json.</remarks>
    public string ReadConfig(string modelDirectory)
    {
        if (!CanLoad(modelDirectory))
        {
            throw new ArgumentException($"{modelDirectory} is not a {SampleDecoderConfig.Type} model folder (config.json with \"model_type\": \"{SampleDecoderConfig.Type}\")");
        }

        return File.ReadAllText(Path.Combine(modelDirectory, "config.json"));
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Presets => PresetTable.Value;

    /// <inheritdoc />
    public IBackbone FromPretrained(string modelDirectory, BackboneLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(modelDirectory);
        var configPath = Path.Combine(modelDirectory, "config.json");
        var config = HfConfigReader.Read<SampleDecoderConfig>(HfConfigReader.ParseFile(configPath), configPath, ModelTypes, requireKeys: true);
        return Build(config, modelDirectory, options);
    }

    /// <inheritdoc />
    public IBackbone FromConfig(string configJson, BackboneLoadOptions options) =>
        Build(HfConfigReader.Read<SampleDecoderConfig>(configJson, "config.json (FromConfig)", ModelTypes), null, options);

    private static SampleDecoderBackbone Build(SampleDecoderConfig config, string? directory, BackboneLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var placement = ModelPlacement.From(options);
        var mapping = new CheckpointKeyMapping { Ignored = config.TieWordEmbeddings ? [TiedHead()] : [] };
        var model = PretrainedLoader.Build(
            () => new SampleDecoderForCausalLM(config, placement.DType, placement.Device),
            directory,
            options,
            mapping,
            nameof(SampleDecoderForCausalLM),
            m => WeightInitializer.Initialize(m, config.InitializerRange, options.Seed));
        return new SampleDecoderBackbone(model, placement);
    }

    [GeneratedRegex(@"^lm_head\.weight$")]
    private static partial Regex TiedHead();
}
