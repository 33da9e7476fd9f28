using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Attention;
using TorchSharp;
using static TorchSharp.torch;

namespace Sample.NetLlmBackbone;

/// <summary>
/// Multi-head causal self-attention with separate <c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c> and <c>o_proj</c>
/// projections. They are <see cref="AdaptableLinear"/> layers, so LoRA attaches to them by name (the default targets
/// are <c>q_proj</c> and <c>v_proj</c>). Keys and values are appended to the pass's cache.
/// </summary>
public sealed class SampleAttention : nn.Module
{
    private readonly AdaptableLinear q_proj;
    private readonly AdaptableLinear k_proj;
    private readonly AdaptableLinear v_proj;
    private readonly AdaptableLinear o_proj;
    private readonly int _heads;
    private readonly int _headDim;
    private readonly int _layer;

    /// <summary>Creates the layer with zero weights (the provider loads or initialises them).</summary>
    /// <param name="config">Model config.</param>
    /// <param name="layer">Layer index (the cache slot).</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public SampleAttention(SampleDecoderConfig config, int layer, ScalarType dtype, Device device)
        : base(nameof(SampleAttention))
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.NumAttentionHeads;
        _headDim = config.HeadDim;
        _layer = layer;
        var d = config.HiddenSize;
        q_proj = new AdaptableLinear(d, d, hasBias: true, dtype: dtype, device: device);
        k_proj = new AdaptableLinear(d, d, hasBias: true, dtype: dtype, device: device);
        v_proj = new AdaptableLinear(d, d, hasBias: true, dtype: dtype, device: device);
        o_proj = new AdaptableLinear(d, d, hasBias: true, dtype: dtype, device: device);
        RegisterComponents();
    }

    /// <summary>Attends over the cached and new positions. Input borrowed; result new (caller owns).</summary>
    /// <param name="hidden">Normed hidden states <c>[batch, tokens, d]</c>.</param>
    /// <param name="context">Attention bias (causal and padding mask) and cache of this pass.</param>
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
        return o_proj.forward(merged).MoveToOuterDisposeScope();
    }
}
