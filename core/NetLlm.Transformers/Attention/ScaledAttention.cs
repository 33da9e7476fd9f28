using NetLlm.Core.Modules;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Attention;

/// <summary>
/// Multi-head attention over already projected heads, through libtorch's fused
/// <c>scaled_dot_product_attention</c>, with grouped-query attention (Hugging Face <c>repeat_kv</c>: key/value head
/// <c>h</c> serves query heads <c>h*n_rep .. h*n_rep + n_rep - 1</c>).
/// Half-precision attention on the CPU takes the explicit path instead (Hugging Face's eager attention: scores by
/// matrix product, softmax accumulated in float32): libtorch's CPU flash kernel in bfloat16 spends about 20 ms per layer on a
/// training step of eight 160-token windows, the explicit path about 4 ms (docs/platform.md).
/// </summary>
public static class ScaledAttention
{
    /// <summary>
    /// Repeats each key/value head <paramref name="repeats"/> times along the head axis:
    /// <c>[b, kv, s, d]</c> to <c>[b, kv*repeats, s, d]</c>. Returns a new tensor (caller owns); input borrowed.
    /// </summary>
    /// <param name="x">Keys or values.</param>
    /// <param name="repeats">Query heads per key/value head.</param>
    public static Tensor RepeatKv(Tensor x, int repeats)
    {
        if (repeats == 1)
        {
            return x.alias();
        }

        var (b, kv, s, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        using var expanded = x.unsqueeze(2).expand(b, kv, repeats, s, d);
        return expanded.reshape(b, kv * repeats, s, d);
    }

    /// <summary>
    /// Attention of <paramref name="query"/> <c>[b, heads, T, d]</c> over <paramref name="key"/>/<paramref name="value"/>
    /// <c>[b, kv_heads, S, d]</c> (all borrowed) with <paramref name="bias"/>. Scores are scaled by
    /// <paramref name="scale"/> (default <c>1/sqrt(d)</c>). Returns <c>[b, heads, T, d]</c> (caller owns).
    /// </summary>
    /// <param name="query">Queries.</param>
    /// <param name="key">Keys.</param>
    /// <param name="value">Values.</param>
    /// <param name="bias">Causal/padding/window restriction.</param>
    /// <param name="scale">Score scale, or null for <c>1/sqrt(head_dim)</c>.</param>
    public static Tensor Attend(Tensor query, Tensor key, Tensor value, AttentionBias bias, double? scale = null)
    {
        using var scope = NewDisposeScope();
        var heads = query.shape[1];
        var kvHeads = key.shape[1];
        if (heads % kvHeads != 0)
        {
            throw new ArgumentException($"{heads} query heads cannot share {kvHeads} key/value heads", nameof(key));
        }

        var repeats = (int)(heads / kvHeads);
        var k = RepeatKv(key, repeats);
        var v = RepeatKv(value, repeats);
        if (UseExplicit(query, k))
        {
            return Explicit(query, k, v, bias, scale ?? 1.0 / Math.Sqrt(query.shape[^1])).MoveToOuterDisposeScope();
        }

        var q = query;
        if (scale is { } s)
        {
            // The fused kernel always scales by 1/sqrt(d); fold the requested scale into the queries.
            var defaultScale = 1.0 / Math.Sqrt(query.shape[^1]);
            if (Math.Abs(s - defaultScale) > 1e-12 * defaultScale)
            {
                q = query.mul(CachedScalars.Of(s / defaultScale));
            }
        }

        var output = nn.functional.scaled_dot_product_attention(q, k, v, bias.Additive, 0.0, bias.IsCausal);
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>Largest score tensor (elements) the explicit path materialises; longer passes use the fused kernel.</summary>
    public const long ExplicitMaxScores = 32L << 20;

    private static bool UseExplicit(Tensor q, Tensor k) =>
        q.dtype is ScalarType.BFloat16 or ScalarType.Float16
        && q.device.type == TorchSharp.DeviceType.CPU
        && q.shape[0] * q.shape[1] * q.shape[2] * k.shape[2] <= ExplicitMaxScores;

    /// <summary>
    /// <c>softmax(q kᵀ · scale + bias) v</c> in the inputs' precision, as Hugging Face's eager attention in half
    /// precision (libtorch's CPU softmax accumulates half-precision rows in float32). One <c>baddbmm</c> writes the
    /// mask and adds the scaled scores, so neither the queries nor the scores take a separate pass for the scale or
    /// the mask, and the backward has no mask pass (masked probabilities are zero). <see cref="AttentionBias.IsCausal"/>
    /// lets query i see keys 0..i (the fused kernel's semantics).
    /// </summary>
    private static Tensor Explicit(Tensor q, Tensor k, Tensor v, AttentionBias bias, double scale)
    {
        using var scope = NewDisposeScope();
        var (b, h, t, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3]);
        var s = k.shape[2];
        Tensor mask;
        if (bias.IsCausal)
        {
            using var rows = arange(0, t, dtype: ScalarType.Int64, device: q.device).view(t, 1);
            mask = AttentionBias.CausalAdditive(rows, s, q.dtype);
        }
        else if (bias.Additive is { } additive)
        {
            mask = additive.to_type(q.dtype).expand(b, h, t, s).reshape(b * h, t, s);
        }
        else
        {
            mask = zeros(1, 1, 1, dtype: q.dtype, device: q.device);
        }

        var scores = BatchedProducts.AddScaledProduct(mask, q.reshape(b * h, t, d), k.reshape(b * h, s, d).transpose(1, 2), (float)scale);
        var output = bmm(scores.softmax(-1), v.reshape(b * h, s, v.shape[3]));
        return output.view(b, h, t, v.shape[3]).MoveToOuterDisposeScope();
    }
}
