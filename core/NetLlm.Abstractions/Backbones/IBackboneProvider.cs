namespace NetLlm.Abstractions.Backbones;

/// <summary>
/// A foundation-model family. Exported through MEF by backbone plugins; the host picks the provider whose
/// <see cref="ModelTypes"/> contains the <c>model_type</c> of a checkpoint's config.json.
/// </summary>
public interface IBackboneProvider
{
    /// <summary>Family name, for example <c>llama</c>.</summary>
    string Family { get; }

    /// <summary>Hugging Face <c>model_type</c> values this family loads.</summary>
    IReadOnlyList<string> ModelTypes { get; }

    /// <summary>
    /// Built-in configurations by name (config.json text), for example a small random-initialised model for
    /// experiments without downloaded weights, or the published shapes for memory estimates.
    /// </summary>
    IReadOnlyDictionary<string, string> Presets { get; }

    /// <summary>
    /// Loads a local Hugging Face model folder (config.json plus model.safetensors, a sharded
    /// model.safetensors.index.json or, with <see cref="BackboneLoadOptions.AllowPickle"/>, pytorch_model.bin).
    /// The caller owns (disposes) the result.
    /// </summary>
    /// <param name="modelDirectory">Model folder.</param>
    /// <param name="options">Dtype, device, pickle opt-in.</param>
    IBackbone FromPretrained(string modelDirectory, BackboneLoadOptions options);

    /// <summary>
    /// Builds a model from config.json text with random weights (seeded), or on the <c>meta</c> device for shape
    /// checks. The caller owns the result.
    /// </summary>
    /// <param name="configJson">Content of a Hugging Face config.json.</param>
    /// <param name="options">Dtype, device, seed.</param>
    IBackbone FromConfig(string configJson, BackboneLoadOptions options);
}
