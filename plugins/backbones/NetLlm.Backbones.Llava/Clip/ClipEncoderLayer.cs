using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llava.Clip;

/// <summary>One pre-LN CLIP encoder layer: <c>h + self_attn(layer_norm1(h))</c>, then <c>h + mlp(layer_norm2(h))</c>.</summary>
public sealed class ClipEncoderLayer : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly ClipAttention self_attn;
    private readonly LayerNorm layer_norm1;
    private readonly ClipMlp mlp;
    private readonly LayerNorm layer_norm2;
#pragma warning restore IDE1006

    /// <summary>Creates the layer.</summary>
    /// <param name="config">Vision config.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public ClipEncoderLayer(ClipVisionConfig config, ScalarType dtype, Device device)
        : base("CLIPEncoderLayer")
    {
        ArgumentNullException.ThrowIfNull(config);
        self_attn = new ClipAttention(config, dtype, device);
        layer_norm1 = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        mlp = new ClipMlp(config, dtype, device);
        layer_norm2 = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Runs the layer. Input borrowed; result new (caller owns).</summary>
    /// <param name="input">Hidden states.</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = input + self_attn.forward(layer_norm1.forward(input));
        h = h + mlp.forward(layer_norm2.forward(h));
        return h.MoveToOuterDisposeScope();
    }
}
