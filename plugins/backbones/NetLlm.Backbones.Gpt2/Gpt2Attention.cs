using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Attention;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Gpt2;

/// <summary>
/// GPT-2 self-attention: fused <c>c_attn</c> (<c>[in, out]</c> weight, output split <c>[q | k | v]</c>) and
/// <c>c_proj</c>, both fan-in-fan-out <see cref="AdaptableLinear"/> adapter targets.
/// </summary>
public sealed class Gpt2Attention : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly AdaptableLinear c_attn;
    private readonly AdaptableLinear c_proj;
#pragma warning restore IDE1006
    private readonly int _heads;
    private readonly int _headDim;
    private readonly int _layer;
    private readonly double _scale;

    /// <summary>Creates the layer with zero weights.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="layer">Block index.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public Gpt2Attention(Gpt2Config config, int layer, ScalarType dtype, Device device)
        : base("GPT2Attention")
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.NHead;
        _headDim = config.NEmbd / config.NHead;
        _layer = layer;
        _scale = (config.ScaleAttnWeights ? 1.0 / Math.Sqrt(_headDim) : 1.0) / (config.ScaleAttnByInverseLayerIdx ? layer + 1 : 1);
        c_attn = new AdaptableLinear(config.NEmbd, 3 * config.NEmbd, hasBias: true, fanInFanOut: true, dtype: dtype, device: device);
        c_proj = new AdaptableLinear(config.NEmbd, config.NEmbd, hasBias: true, fanInFanOut: true, dtype: dtype, device: device);
        RegisterComponents();
    }

    /// <summary>Attends; <paramref name="hidden"/> borrowed, result new (caller owns). Appends to the cache.</summary>
    /// <param name="hidden">Normed hidden states <c>[b, T, d]</c>.</param>
    /// <param name="context">Mask and cache of this pass.</param>
    public Tensor Forward(Tensor hidden, AttentionContext context)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(context);
        using var scope = NewDisposeScope();
        var (b, t) = (hidden.shape[0], hidden.shape[1]);
        var width = _heads * _headDim;
        var qkv = c_attn.forward(hidden);
        var q = qkv.narrow(-1, 0, width).view(b, t, _heads, _headDim).transpose(1, 2);
        var k = qkv.narrow(-1, width, width).view(b, t, _heads, _headDim).transpose(1, 2);
        var v = qkv.narrow(-1, 2 * width, width).view(b, t, _heads, _headDim).transpose(1, 2);
        var (keys, values) = context.Extend(_layer, k, v);
        var attended = ScaledAttention.Attend(q, keys, values, context.Bias, _scale);
        var merged = attended.transpose(1, 2).reshape(b, t, width);
        return c_proj.forward(merged).MoveToOuterDisposeScope();
    }
}
