using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llava.Clip;

/// <summary>
/// Hugging Face <c>CLIPVisionTransformer</c>: <c>embeddings</c>, <c>pre_layrnorm</c> (Hugging Face's spelling),
/// <c>encoder</c>, <c>post_layernorm</c>.
/// </summary>
public sealed class ClipVisionTransformer : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly ClipVisionEmbeddings embeddings;
    private readonly LayerNorm pre_layrnorm;
    private readonly ClipEncoder encoder;
    private readonly LayerNorm post_layernorm;
#pragma warning restore IDE1006

    /// <summary>Creates the transformer.</summary>
    /// <param name="config">Vision config.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public ClipVisionTransformer(ClipVisionConfig config, ScalarType dtype, Device device)
        : base("CLIPVisionTransformer")
    {
        ArgumentNullException.ThrowIfNull(config);
        embeddings = new ClipVisionEmbeddings(config, dtype, device);
        pre_layrnorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        encoder = new ClipEncoder(config, dtype, device);
        post_layernorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Encoder layers.</summary>
    public int NumLayers => encoder.Count;

    /// <summary>
    /// Hugging Face <c>hidden_states[index]</c> of the encoder for <paramref name="pixels"/> (borrowed): index 0 is the
    /// embedding output after <c>pre_layrnorm</c>, index i the output of layer i; negative indices count from the end
    /// (-1 = last layer, -2 = the one LLaVa uses). Only the layers needed are run. New tensor, caller owns.
    /// </summary>
    /// <param name="pixels">Images <c>[b, channels, size, size]</c>.</param>
    /// <param name="index">Hidden-state index.</param>
    public Tensor HiddenState(Tensor pixels, int index)
    {
        var resolved = index < 0 ? NumLayers + 1 + index : index;
        if (resolved < 0 || resolved > NumLayers)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"hidden-state index {index} is outside 0..{NumLayers} (or -{NumLayers + 1}..-1)");
        }

        using var scope = NewDisposeScope();
        var h = pre_layrnorm.forward(embeddings.forward(pixels));
        return encoder.Run(h, resolved).MoveToOuterDisposeScope();
    }

    /// <summary>The pooled output (<c>post_layernorm</c> of the class token after all layers); new tensor <c>[b, d]</c>.</summary>
    /// <param name="pixels">Images.</param>
    public Tensor Pooled(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var last = HiddenState(pixels, -1);
        return post_layernorm.forward(last.select(1, 0)).MoveToOuterDisposeScope();
    }
}
