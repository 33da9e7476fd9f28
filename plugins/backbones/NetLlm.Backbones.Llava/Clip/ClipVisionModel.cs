using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llava.Clip;

/// <summary>Hugging Face <c>CLIPEncoder</c>: <c>layers</c>.</summary>
public sealed class ClipEncoder : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly ModuleList<ClipEncoderLayer> layers;
#pragma warning restore IDE1006

    /// <summary>Creates the encoder.</summary>
    /// <param name="config">Vision config.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public ClipEncoder(ClipVisionConfig config, ScalarType dtype, Device device)
        : base("CLIPEncoder")
    {
        ArgumentNullException.ThrowIfNull(config);
        layers = new ModuleList<ClipEncoderLayer>([.. Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new ClipEncoderLayer(config, dtype, device))]);
        RegisterComponents();
    }

    /// <summary>Number of layers.</summary>
    public int Count => layers.Count;

    /// <summary>Runs the first <paramref name="count"/> layers. Input borrowed; result new (caller owns).</summary>
    /// <param name="hidden">Hidden states.</param>
    /// <param name="count">Layers to run.</param>
    public Tensor Run(Tensor hidden, int count)
    {
        using var scope = NewDisposeScope();
        var h = hidden.alias();
        for (var i = 0; i < count; i++)
        {
            h = layers[i].forward(h);
        }

        return h.MoveToOuterDisposeScope();
    }
}

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

/// <summary>Hugging Face <c>CLIPVisionModel</c>: <c>vision_model</c>.</summary>
public sealed class ClipVisionModel : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly ClipVisionTransformer vision_model;
#pragma warning restore IDE1006

    /// <summary>Creates the model.</summary>
    /// <param name="config">Vision config.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public ClipVisionModel(ClipVisionConfig config, ScalarType dtype, Device device)
        : base("CLIPVisionModel")
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        vision_model = new ClipVisionTransformer(config, dtype, device);
        RegisterComponents();
    }

    /// <summary>The config.</summary>
    public ClipVisionConfig Config { get; }

    /// <summary>The transformer.</summary>
    public ClipVisionTransformer VisionModel => vision_model;
}
