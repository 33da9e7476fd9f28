using NetLlm.Abstractions.Backbones;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Attention;

/// <summary>
/// What every attention layer of one forward pass shares: the restriction (<see cref="Bias"/>), the rotary cosines
/// and sines when the family uses them, and the key/value cache. All borrowed; the decoder that built it disposes
/// the tensors after the pass.
/// </summary>
/// <param name="Bias">Causal/padding/window restriction.</param>
/// <param name="Cos">Rotary cosines <c>[batch, 1, tokens, head_dim]</c>, or null.</param>
/// <param name="Sin">Rotary sines with the sign of <c>rotate_half</c> folded in (<see cref="Modules.RotaryEmbedding.Compute"/>), or null.</param>
/// <param name="Cache">Cache to append to, or null.</param>
public sealed record AttentionContext(AttentionBias Bias, Tensor? Cos = null, Tensor? Sin = null, IKvCache? Cache = null)
{
    /// <summary>
    /// Appends <paramref name="keys"/>/<paramref name="values"/> <c>[b, kv_heads, tokens, d]</c> (borrowed) for
    /// <paramref name="layer"/> when a cache is present and returns the keys and values to attend over: the cache's
    /// tensors (owned by the cache) or the inputs themselves.
    /// </summary>
    /// <param name="layer">Layer index.</param>
    /// <param name="keys">New keys.</param>
    /// <param name="values">New values.</param>
    public (Tensor Keys, Tensor Values) Extend(int layer, Tensor keys, Tensor values) =>
        Cache is null ? (keys, values) : Cache.Append(layer, keys, values);
}
