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
    /// The preset used when neither a model folder nor a preset is named, or null. At most one loaded family may name
    /// one; the host reports a conflict otherwise.
    /// </summary>
    string? DefaultPreset => null;

    /// <summary>The family's default LoRA target modules (PEFT's <c>target_modules</c>), for example <c>q_proj</c>, <c>v_proj</c>.</summary>
    IReadOnlyList<string> DefaultLoraTargets { get; }

    /// <summary>
    /// True when this family loads <paramref name="modelDirectory"/> (its config.json's <c>model_type</c> is one of
    /// <see cref="ModelTypes"/>, or the folder holds another format the family reads). Reads only small metadata files.
    /// </summary>
    /// <param name="modelDirectory">A model folder.</param>
    bool CanLoad(string modelDirectory);

    /// <summary>
    /// The Hugging Face config.json text describing the model in <paramref name="modelDirectory"/> (a family that reads
    /// another format converts its header), for <see cref="FromConfig"/> on the <c>meta</c> device: shapes and
    /// parameter counts without reading weights.
    /// </summary>
    /// <param name="modelDirectory">A model folder this family loads.</param>
    string ReadConfig(string modelDirectory) => File.ReadAllText(Path.Combine(modelDirectory, "config.json"));

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
