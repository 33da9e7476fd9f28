using System.Globalization;
using NetLlm.Abstractions.Encoders;

namespace NetLlm.Encoders.Vision;

/// <summary>
/// Provides <see cref="VitImageEncoder"/> as <c>encoder.vit</c>. <see cref="Create"/> builds a randomly initialised,
/// frozen encoder of the configuration in the settings (ViT-B/16 by default; tiny ones for tests);
/// <see cref="Load"/> reads Hugging Face weights from a model folder.
/// </summary>
public sealed class VitEncoderProvider : ILegacyEncoderProvider
{
    /// <inheritdoc />
    public string Id => "encoder.vit";

    /// <inheritdoc />
    public string Modality => "image";

    /// <inheritdoc />
    public string Description => "frozen ViT (Hugging Face layout): images [batch, channels, side, side] -> CLS feature [batch, 1, hidden]";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["layers"] = "transformer layers (default 12)",
        ["heads"] = "attention heads (default 12)",
        ["intermediate"] = "MLP width (default 3072)",
        ["image_size"] = "image side in pixels (default 224)",
        ["patch_size"] = "patch side in pixels (default 16)",
        ["channels"] = "image channels (default 3)",
        ["seed"] = "seed of the random initialisation (default 0)",
    };

    /// <inheritdoc />
    /// <remarks>The encoder's width is <see cref="EncoderSpec.EmbeddingDim"/> (768 for ViT-B/16).</remarks>
    public IModalityEncoder Create(EncoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var config = new VitConfig
        {
            HiddenSize = spec.EmbeddingDim,
            NumHiddenLayers = spec.Int("layers", 12),
            NumAttentionHeads = spec.Int("heads", 12),
            IntermediateSize = spec.Int("intermediate", 3072),
            ImageSize = spec.Int("image_size", 224),
            PatchSize = spec.Int("patch_size", 16),
            NumChannels = spec.Int("channels", 3),
        };
        try
        {
            config.Validate("encoder.vit settings");
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException(e.Message, e);
        }

        TorchSharp.torch.random.manual_seed(spec.Int("seed", 0));
        return new VitImageEncoder(config);
    }

    /// <summary>Loads Hugging Face ViT weights from a model folder (see <see cref="VitImageEncoder.FromPretrained"/>).</summary>
    /// <param name="modelDirectory">Folder with config.json and model.safetensors.</param>
    public static VitImageEncoder Load(string modelDirectory) => VitImageEncoder.FromPretrained(modelDirectory);

    /// <summary>A one-line summary of a loaded encoder.</summary>
    /// <param name="encoder">The encoder.</param>
    public static string Describe(VitImageEncoder encoder) => string.Create(CultureInfo.InvariantCulture,
        $"ViT {encoder.Config.NumHiddenLayers} layers x {encoder.Config.HiddenSize}, patch {encoder.Config.PatchSize}, image {encoder.Config.ImageSize}");
}
