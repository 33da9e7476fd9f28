using NetLlm.Encoders.Standard;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Model;

/// <summary>
/// The trainable parts of the NetLLM viewport model outside the backbone, under state-dict names close to the
/// original's: <c>vp_encoder</c> (Conv1d(1, 256, 3) over the 3 coordinates of a step, LeakyReLU, flatten,
/// Linear(256, d)), <c>embed_multimodal</c> (Linear(768, d) for the image token), <c>embed_ln</c> (LayerNorm(d)) and
/// <c>networking_head</c> (Linear(d, 3), followed by Tanh). Owns its parameters.
/// </summary>
public sealed class VpModelModules : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly SeriesCnnEncoder vp_encoder;
    private readonly Linear embed_multimodal;
    private readonly LayerNorm embed_ln;
    private readonly Linear networking_head;
#pragma warning restore IDE1006

    /// <summary>Creates the modules with PyTorch's default initialisation.</summary>
    /// <param name="embeddingDim">Token width d (the backbone's hidden size).</param>
    /// <param name="options">Model settings.</param>
    public VpModelModules(int embeddingDim, VpModelOptions options)
        : base(nameof(VpModelModules))
    {
        if (embeddingDim < 1)
        {
            throw new ArgumentException($"vp model: embedding width {embeddingDim} must be positive");
        }

        EmbeddingDim = embeddingDim;
        vp_encoder = new SeriesCnnEncoder(embeddingDim, length: 3, inChannels: 1, channels: options.ConvChannels, kernel: 3);
        embed_multimodal = nn.Linear(options.ImageFeatureDim, embeddingDim);
        embed_ln = nn.LayerNorm(embeddingDim);
        networking_head = nn.Linear(embeddingDim, 3);
        RegisterComponents();
    }

    /// <summary>Token width d.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The viewport encoder (its convolution and projection).</summary>
    public SeriesCnnEncoder ViewportEncoder => vp_encoder;

    /// <summary>
    /// One token per step: <paramref name="normalized"/> <c>[batch, steps, 3]</c> (borrowed) to a new
    /// <c>[batch, steps, d]</c> tensor owned by the caller (not yet layer-normed).
    /// </summary>
    /// <param name="normalized">Normalised orientations.</param>
    public Tensor EmbedSteps(Tensor normalized)
    {
        using var scope = NewDisposeScope();
        var batch = normalized.shape[0];
        var steps = normalized.shape[1];
        var tokens = vp_encoder.forward(normalized.reshape(batch * steps, 1, 3));
        return tokens.reshape(batch, steps, EmbeddingDim).MoveToOuterDisposeScope();
    }

    /// <summary>Image tokens: features <c>[batch, featureDim]</c> (borrowed) to a new <c>[batch, 1, d]</c> tensor.</summary>
    /// <param name="features">Image features.</param>
    public Tensor EmbedImage(Tensor features)
    {
        using var scope = NewDisposeScope();
        return embed_multimodal.forward(features).unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>Layer norm of tokens <c>[..., d]</c> (borrowed) into a new tensor.</summary>
    /// <param name="tokens">Tokens.</param>
    public Tensor Normalize(Tensor tokens) => embed_ln.forward(tokens);

    /// <summary>Orientation in normalised units: <c>tanh(Linear(hidden))</c>, hidden <c>[..., d]</c> borrowed, new <c>[..., 3]</c>.</summary>
    /// <param name="hidden">Backbone hidden states.</param>
    public Tensor Head(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return networking_head.forward(hidden).tanh().MoveToOuterDisposeScope();
    }
}
