using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Attention;
using NetLlm.Transformers.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llama;

/// <summary>
/// Llama self-attention: <c>q_proj</c>/<c>k_proj</c>/<c>v_proj</c>, rotary embeddings on queries and keys (HF
/// rotate_half layout), grouped-query attention, <c>o_proj</c>. The projections are adapter targets.
/// </summary>
public sealed class LlamaAttention : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly AdaptableLinear q_proj;
    private readonly AdaptableLinear k_proj;
    private readonly AdaptableLinear v_proj;
    private readonly AdaptableLinear o_proj;
#pragma warning restore IDE1006
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly int _layer;

    /// <summary>Creates the layer with zero weights.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="layer">Layer index (the cache slot).</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public LlamaAttention(LlamaConfig config, int layer, ScalarType dtype, Device device)
        : base("LlamaAttention")
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.NumAttentionHeads;
        _kvHeads = config.KeyValueHeads;
        _headDim = config.HeadDimension;
        _layer = layer;
        q_proj = new AdaptableLinear(config.HiddenSize, _heads * _headDim, config.AttentionBias, dtype: dtype, device: device);
        k_proj = new AdaptableLinear(config.HiddenSize, _kvHeads * _headDim, config.AttentionBias, dtype: dtype, device: device);
        v_proj = new AdaptableLinear(config.HiddenSize, _kvHeads * _headDim, config.AttentionBias, dtype: dtype, device: device);
        o_proj = new AdaptableLinear(_heads * _headDim, config.HiddenSize, config.AttentionBias, dtype: dtype, device: device);
        RegisterComponents();
    }

    /// <summary>
    /// Attends over the cached and new positions. <paramref name="hidden"/> <c>[b, T, d]</c> borrowed; returns a new
    /// <c>[b, T, d]</c> tensor (caller owns). Appends this layer's keys and values to the context's cache. With
    /// <paramref name="select"/> <c>[b, P]</c> only those positions query (keys and values still come from every
    /// position) and the result is <c>[b, P, d]</c>.
    /// </summary>
    /// <param name="hidden">Normed hidden states.</param>
    /// <param name="context">Mask, rotary tables and cache of this pass.</param>
    /// <param name="select">Query positions, or null for all.</param>
    public Tensor Forward(Tensor hidden, AttentionContext context, Tensor? select = null)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(context);
        using var scope = NewDisposeScope();
        var (b, t) = (hidden.shape[0], hidden.shape[1]);
        var queries = select is null ? hidden : QuerySelection.Rows(hidden, select);
        var p = queries.shape[1];
        var q = q_proj.forward(queries).view(b, p, _heads, _headDim).transpose(1, 2);
        var k = k_proj.forward(hidden).view(b, t, _kvHeads, _headDim).transpose(1, 2);
        var v = v_proj.forward(hidden).view(b, t, _kvHeads, _headDim).transpose(1, 2);
        q = select is null
            ? RotaryEmbedding.Apply(q, context.Cos!, context.Sin!)
            : RotaryEmbedding.Apply(q, QuerySelection.TableRows(context.Cos!, select), QuerySelection.TableRows(context.Sin!, select));
        k = RotaryEmbedding.Apply(k, context.Cos!, context.Sin!);
        var (keys, values) = context.Extend(_layer, k, v);
        var attended = select is null
            ? ScaledAttention.Attend(q, keys, values, context.Bias)
            : AttendSelected(q, keys, values, context.Bias, select);
        var merged = attended.transpose(1, 2).reshape(b, p, _heads * _headDim);
        return o_proj.forward(merged).MoveToOuterDisposeScope();
    }

    private static Tensor AttendSelected(Tensor q, Tensor keys, Tensor values, AttentionBias bias, Tensor select)
    {
        using var selected = QuerySelection.Bias(bias, select, keys.shape[2], q.dtype);
        return ScaledAttention.Attend(q, keys, values, selected);
    }
}
