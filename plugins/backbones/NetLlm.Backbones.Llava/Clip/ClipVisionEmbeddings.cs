using NetLlm.Transformers.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llava.Clip;

/// <summary>
/// CLIP patch embeddings: <c>patch_embedding</c> (a bias-free convolution with stride = kernel = patch size), a learned
/// <c>class_embedding</c> token in front, plus <c>position_embedding</c>.
/// </summary>
public sealed class ClipVisionEmbeddings : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Parameter class_embedding;
    private readonly Conv2d patch_embedding;
    private readonly EmbeddingTable position_embedding;
#pragma warning restore IDE1006
    private readonly ClipVisionConfig _config;

    /// <summary>Creates the embeddings (uninitialised values).</summary>
    /// <param name="config">Vision config.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public ClipVisionEmbeddings(ClipVisionConfig config, ScalarType dtype, Device device)
        : base("CLIPVisionEmbeddings")
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        class_embedding = new Parameter(empty(config.HiddenSize, dtype: dtype, device: device));
        patch_embedding = nn.Conv2d(config.NumChannels, config.HiddenSize, config.PatchSize, stride: config.PatchSize, bias: false, device: device, dtype: dtype);
        position_embedding = new EmbeddingTable(config.NumPositions, config.HiddenSize, dtype, device);
        RegisterComponents();
    }

    /// <summary>
    /// Embeds images <c>[b, channels, image_size, image_size]</c> (borrowed) into <c>[b, patches + 1, d]</c> (new,
    /// caller owns). Throws naming the expected shape for other image sizes (position embeddings are not interpolated).
    /// </summary>
    /// <param name="input">Pixel values.</param>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var size = _config.ImageSize;
        if (input.dim() != 4 || input.shape[1] != _config.NumChannels || input.shape[2] != size || input.shape[3] != size)
        {
            throw new ArgumentException($"images must be [batch, {_config.NumChannels}, {size}, {size}], got [{string.Join(", ", input.shape)}]", nameof(input));
        }

        using var scope = NewDisposeScope();
        var b = input.shape[0];
        var patches = patch_embedding.forward(input.to(class_embedding.dtype, class_embedding.device)).flatten(2).transpose(1, 2);
        var cls = class_embedding.view(1, 1, -1).expand(b, 1, -1);
        var embeddings = cat([cls, patches], 1) + position_embedding.Weight.unsqueeze(0);
        return embeddings.MoveToOuterDisposeScope();
    }
}
