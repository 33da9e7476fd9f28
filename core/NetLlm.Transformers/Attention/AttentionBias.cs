using NetLlm.Core.Modules;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Attention;

/// <summary>
/// What restricts attention in one forward pass: either nothing, plain causal masking of a square score matrix
/// (<see cref="IsCausal"/>, handled inside the fused kernel), or an additive bias <c>[batch or 1, 1, queries, keys]</c>
/// holding 0 where attention is allowed and the dtype's most negative finite value where it is not (finite, so that
/// fully masked rows of padding queries stay finite instead of turning into NaN). Owns <see cref="Additive"/>.
/// </summary>
public sealed class AttentionBias : IDisposable
{
    private AttentionBias(Tensor? additive, bool isCausal)
    {
        Additive = additive;
        IsCausal = isCausal;
    }

    /// <summary>The additive bias, or null.</summary>
    public Tensor? Additive { get; }

    /// <summary>True when the only restriction is causal order over a square score matrix.</summary>
    public bool IsCausal { get; }

    /// <summary>No restriction (a single new query that may see every cached key).</summary>
    public static AttentionBias None() => new(null, false);

    /// <summary>Causal order only.</summary>
    public static AttentionBias Causal() => new(null, true);

    /// <summary>An explicit bias; the new object takes ownership of <paramref name="additive"/>.</summary>
    /// <param name="additive">Additive bias <c>[batch or 1, 1, queries, keys]</c>.</param>
    public static AttentionBias FromAdditive(Tensor additive) => new(additive, false);

    /// <summary>
    /// The additive form of a causal restriction: 0 where a key's index is at most the query's position, the dtype's
    /// lowest value after it. <paramref name="queryPositions"/> <c>[..., p, 1]</c> (int64, borrowed); returns a new
    /// <c>[..., p, keys]</c> tensor (caller owns).
    /// </summary>
    /// <param name="queryPositions">Position of each query among the keys.</param>
    /// <param name="keys">Number of keys.</param>
    /// <param name="dtype">Dtype of the mask (that of the scores).</param>
    public static Tensor CausalAdditive(Tensor queryPositions, long keys, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(queryPositions);
        using var columns = arange(0, keys, dtype: ScalarType.Int64, device: queryPositions.device);
        using var future = columns.gt(queryPositions);
        var additive = zeros(future.shape, dtype: dtype, device: queryPositions.device);
        additive.masked_fill_(future, CachedScalars.Of(finfo(dtype).min));
        return additive;
    }

    /// <summary>
    /// The same restriction over another handle of its additive tensor (activation checkpointing recomputes a layer
    /// with handles of its own). The caller keeps ownership of <paramref name="additive"/>: do not dispose the result.
    /// </summary>
    /// <param name="additive">A handle of <see cref="Additive"/>, or null when this bias has none.</param>
    public AttentionBias Rebind(Tensor? additive) => new(additive, IsCausal);

    /// <inheritdoc />
    public void Dispose() => Additive?.Dispose();
}
