using static TorchSharp.torch;

namespace NetLlm.Transformers.Attention;

/// <summary>
/// Helpers for a layer that computes only some query positions (<see cref="NetLlm.Abstractions.Backbones.BackboneInput.OutputPositions"/>):
/// the selected rows of a sequence tensor, of the rotary tables, and of the attention restriction.
/// </summary>
public static class QuerySelection
{
    /// <summary>Rows <paramref name="select"/> <c>[b, P]</c> of <paramref name="x"/> <c>[b, T, d]</c>: <c>[b, P, d]</c> (caller owns).</summary>
    /// <param name="x">Sequence tensor (borrowed).</param>
    /// <param name="select">Positions (int64, borrowed).</param>
    public static Tensor Rows(Tensor x, Tensor select)
    {
        using var index = select.unsqueeze(-1).expand(-1, -1, x.shape[2]);
        return x.gather(1, index);
    }

    /// <summary>Rows of a rotary table <c>[b, 1, T, hd]</c>: <c>[b, 1, P, hd]</c> (caller owns).</summary>
    /// <param name="table">Cos or sin table (borrowed).</param>
    /// <param name="select">Positions <c>[b, P]</c> (borrowed).</param>
    public static Tensor TableRows(Tensor table, Tensor select)
    {
        var b = select.shape[0];
        using var expanded = table.expand(b, 1, table.shape[2], table.shape[3]);
        using var index = select.view(b, 1, select.shape[1], 1).expand(b, 1, select.shape[1], table.shape[3]);
        return expanded.gather(2, index);
    }

    /// <summary>
    /// The restriction of the selected queries over <paramref name="keys"/> keys (a pass without cache, so query
    /// position p is key position p): causal becomes an additive bias <c>[b, 1, P, keys]</c>; an additive bias keeps
    /// its selected rows; none stays none. Returns a new bias (caller disposes).
    /// </summary>
    /// <param name="bias">The pass's restriction (borrowed).</param>
    /// <param name="select">Positions <c>[b, P]</c> (borrowed).</param>
    /// <param name="keys">Key count.</param>
    /// <param name="dtype">Bias dtype (the compute dtype).</param>
    public static AttentionBias Bias(AttentionBias bias, Tensor select, long keys, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(bias);
        var (b, p) = (select.shape[0], select.shape[1]);
        using var scope = NewDisposeScope();
        if (bias.IsCausal)
        {
            var additive = AttentionBias.CausalAdditive(select.view(b, 1, p, 1), keys, dtype);
            return AttentionBias.FromAdditive(additive.DetachFromDisposeScope());
        }

        if (bias.Additive is { } full)
        {
            var expanded = full.expand(b, 1, full.shape[2], keys);
            var index = select.view(b, 1, p, 1).expand(b, 1, p, keys);
            return AttentionBias.FromAdditive(expanded.gather(2, index).DetachFromDisposeScope());
        }

        return AttentionBias.None();
    }
}
