using TorchSharp;

namespace NetLlm.Abstractions.Backbones;

/// <summary>
/// Keys and values of earlier positions, per layer, so that an incremental forward pass over new tokens gives
/// the same result as one pass over the whole sequence. The cache owns the tensors it stores and releases them on
/// <see cref="IDisposable.Dispose"/>, <see cref="Clear"/> and <see cref="DropFirst"/>.
/// </summary>
public interface IKvCache : IDisposable
{
    /// <summary>Number of cached positions.</summary>
    int Length { get; }

    /// <summary>
    /// Position id the next token gets by default: the number of tokens ever appended, which keeps growing
    /// after <see cref="DropFirst"/> so that relative positions stay consistent.
    /// </summary>
    long NextPosition { get; }

    /// <summary>
    /// Attention mask of the cached positions <c>[batch, Length]</c> (1 real, 0 padding), or null when all ones.
    /// Borrowed: owned by the cache.
    /// </summary>
    torch.Tensor? Mask { get; }

    /// <summary>
    /// Appends this call's keys and values for <paramref name="layer"/> (<c>[batch, kv_heads, tokens, head_dim]</c>,
    /// borrowed) and returns the full cached keys and values for that layer (owned by the cache; valid until the
    /// next mutation).
    /// </summary>
    /// <param name="layer">Layer index.</param>
    /// <param name="keys">New keys.</param>
    /// <param name="values">New values.</param>
    (torch.Tensor Keys, torch.Tensor Values) Append(int layer, torch.Tensor keys, torch.Tensor values);

    /// <summary>
    /// Records the attention mask and position advance of the tokens appended by one forward pass. Called by the
    /// backbone once per forward, after every layer appended.
    /// </summary>
    /// <param name="newTokenMask">Mask of the new tokens <c>[batch, tokens]</c> (borrowed), or null for all ones.</param>
    /// <param name="newTokens">Number of new tokens.</param>
    void Commit(torch.Tensor? newTokenMask, int newTokens);

    /// <summary>Evicts the <paramref name="count"/> oldest positions from every layer (sliding context window).</summary>
    /// <param name="count">Positions to drop.</param>
    void DropFirst(int count);

    /// <summary>Empties the cache and resets <see cref="NextPosition"/> to 0.</summary>
    void Clear();
}
