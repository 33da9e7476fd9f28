using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Attention;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Opt;

/// <summary>OPT self-attention: <c>k_proj</c>, <c>v_proj</c>, <c>q_proj</c>, <c>out_proj</c> (adapter targets).</summary>
public sealed class OptAttention : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly AdaptableLinear k_proj;
    private readonly AdaptableLinear v_proj;
    private readonly AdaptableLinear q_proj;
    private readonly AdaptableLinear out_proj;
#pragma warning restore IDE1006
    private readonly int _heads;
    private readonly int _headDim;
    private readonly int _layer;

    /// <summary>Creates the layer with zero weights.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="layer">Layer index.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public OptAttention(OptConfig config, int layer, ScalarType dtype, Device device)
        : base("OPTAttention")
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.NumAttentionHeads;
        _headDim = config.HiddenSize / config.NumAttentionHeads;
        _layer = layer;
        var d = config.HiddenSize;
        k_proj = new AdaptableLinear(d, d, config.EnableBias, dtype: dtype, device: device);
        v_proj = new AdaptableLinear(d, d, config.EnableBias, dtype: dtype, device: device);
        q_proj = new AdaptableLinear(d, d, config.EnableBias, dtype: dtype, device: device);
        out_proj = new AdaptableLinear(d, d, config.EnableBias, dtype: dtype, device: device);
        RegisterComponents();
    }

    /// <summary>Attends (scores scaled by <c>head_dim^-0.5</c>); input borrowed, result new (caller owns).</summary>
    /// <param name="hidden">Hidden states <c>[b, T, d]</c>.</param>
    /// <param name="context">Mask and cache.</param>
    public Tensor Forward(Tensor hidden, AttentionContext context)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(context);
        using var scope = NewDisposeScope();
        var (b, t) = (hidden.shape[0], hidden.shape[1]);
        var q = q_proj.forward(hidden).view(b, t, _heads, _headDim).transpose(1, 2);
        var k = k_proj.forward(hidden).view(b, t, _heads, _headDim).transpose(1, 2);
        var v = v_proj.forward(hidden).view(b, t, _heads, _headDim).transpose(1, 2);
        var (keys, values) = context.Extend(_layer, k, v);
        var attended = ScaledAttention.Attend(q, keys, values, context.Bias);
        var merged = attended.transpose(1, 2).reshape(b, t, _heads * _headDim);
        return out_proj.forward(merged).MoveToOuterDisposeScope();
    }
}
