using NetLlm.Abstractions.Backbones;
using NetLlm.Backbones.Llama;
using NetLlm.Transformers.Config;
using NetLlm.Transformers.Modeling;

namespace NetLlm.Backbones.Mistral;

/// <summary>The Mistral family: Hugging Face <c>mistral</c> checkpoints and presets.</summary>
public sealed class MistralProvider : IBackboneProvider
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> PresetTable = new(() => PresetCatalog.Load(typeof(MistralProvider).Assembly));

    /// <inheritdoc />
    public string Family => "mistral";

    /// <inheritdoc />
    public IReadOnlyList<string> ModelTypes { get; } = ["mistral"];

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
        var config = HfConfigReader.Read<MistralConfig>(HfConfigReader.ParseFile(configPath), configPath, ModelTypes, requireKeys: true);
        return Build(config, modelDirectory, options);
    }

    /// <inheritdoc />
    public IBackbone FromConfig(string configJson, BackboneLoadOptions options)
    {
        var config = HfConfigReader.Read<MistralConfig>(configJson, "config.json (FromConfig)", ModelTypes);
        return Build(config, null, options);
    }

    private static MistralBackbone Build(MistralConfig config, string? directory, BackboneLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var model = LlamaModelFactory.Build(config, directory, options, config.SlidingWindow);
        return new MistralBackbone(model, ModelPlacement.From(options));
    }
}
