using NetLlm.Transformers.Attention;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Gpt2;

/// <summary>A pre-LN GPT-2 block: <c>h + attn(ln_1(h))</c>, then <c>h + mlp(ln_2(h))</c>.</summary>
public sealed class Gpt2Block : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly LayerNorm ln_1;
    private readonly Gpt2Attention attn;
    private readonly LayerNorm ln_2;
    private readonly Gpt2Mlp mlp;
#pragma warning restore IDE1006

    /// <summary>Creates the block.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="layer">Block index.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public Gpt2Block(Gpt2Config config, int layer, ScalarType dtype, Device device)
        : base("GPT2Block")
    {
        ArgumentNullException.ThrowIfNull(config);
        ln_1 = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon, device: device, dtype: dtype);
        attn = new Gpt2Attention(config, layer, dtype, device);
        ln_2 = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon, device: device, dtype: dtype);
        mlp = new Gpt2Mlp(config, dtype, device);
        RegisterComponents();
    }

    /// <summary>Runs the block. Input borrowed; result new (caller owns).</summary>
    /// <param name="hidden">Hidden states <c>[b, T, d]</c>.</param>
    /// <param name="context">Attention context.</param>
    public Tensor Forward(Tensor hidden, AttentionContext context)
    {
        using var scope = NewDisposeScope();
        var h = hidden + attn.Forward(ln_1.forward(hidden), context);
        h = h + mlp.forward(ln_2.forward(h));
        return h.MoveToOuterDisposeScope();
    }
}
