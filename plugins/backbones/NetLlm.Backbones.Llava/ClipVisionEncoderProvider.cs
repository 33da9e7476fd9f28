using NetLlm.Abstractions.Encoders;
using NetLlm.Backbones.Llava.Clip;
using NetLlm.Transformers.Modeling;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llava;

/// <summary>
/// <c>encoder.clip-vision</c>: a randomly initialised (seeded) CLIP vision tower plus a LLaVa-style projector to the
/// token width, for tasks with image inputs (viewport saliency maps). For the pretrained LLaVa-1.5 tower load the
/// checkpoint with the LLaVa backbone and use <see cref="LlavaBackbone.ImageEncoder"/>.
/// </summary>
public sealed class ClipVisionEncoderProvider : ILegacyEncoderProvider
{
    /// <inheritdoc />
    public string Id => "encoder.clip-vision";

    /// <inheritdoc />
    public string Modality => "image";

    /// <inheritdoc />
    public string Description => "CLIP vision transformer + projector: images [batch, 3, H, W] -> [batch, patches (+1), d]";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["image_size"] = "square image side in pixels (default 224)",
        ["patch_size"] = "patch side in pixels (default 16)",
        ["hidden"] = "vision width (default 256)",
        ["layers"] = "vision layers (default 4)",
        ["heads"] = "attention heads (default 4)",
        ["intermediate"] = "MLP width (default 4 * hidden)",
        ["channels"] = "image channels (default 3)",
        ["feature_layer"] = "hidden-state index fed to the projector, negative from the end (default -2, as LLaVa)",
        ["keep_cls"] = "1 keeps the class token (LLaVa 'full'), 0 drops it (default 0)",
        ["seed"] = "initialisation seed (default 0)",
    };

    /// <inheritdoc />
    public IModalityEncoder Create(EncoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var unknown = spec.Settings.Keys.Where(k => !Settings.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"{Id}: unknown setting(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Settings.Keys)}");
        }

        var hidden = spec.Int("hidden", 256);
        var config = new ClipVisionConfig
        {
            ImageSize = spec.Int("image_size", 224),
            PatchSize = spec.Int("patch_size", 16),
            HiddenSize = hidden,
            NumHiddenLayers = spec.Int("layers", 4),
            NumAttentionHeads = spec.Int("heads", 4),
            IntermediateSize = spec.Int("intermediate", 4 * hidden),
            NumChannels = spec.Int("channels", 3),
        };
        try
        {
            config.Validate(Id);
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException(e.Message, e);
        }

        if (spec.EmbeddingDim < 1)
        {
            throw new ArgumentException($"{Id}: embedding dimension must be positive, got {spec.EmbeddingDim}");
        }

        var featureLayer = spec.Int("feature_layer", -2);
        if (featureLayer < -(config.NumHiddenLayers + 1) || featureLayer > config.NumHiddenLayers)
        {
            throw new ArgumentException($"{Id}: feature_layer {featureLayer} is outside the tower's {config.NumHiddenLayers + 1} hidden states");
        }

        var tower = new ClipVisionModel(config, ScalarType.Float32, CPU);
        var projector = new LlavaMultiModalProjector(hidden, spec.EmbeddingDim, "gelu", bias: true, ScalarType.Float32, CPU);
        var encoder = new ClipImageEncoder(tower, projector, featureLayer, spec.Int("keep_cls", 0) != 0);
        WeightInitializer.Initialize(encoder, config.InitializerRange, spec.Int("seed", 0));
        return encoder;
    }
}
