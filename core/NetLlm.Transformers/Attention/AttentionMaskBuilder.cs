using NetLlm.Core.Modules;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Attention;

/// <summary>
/// Builds the <see cref="AttentionBias"/> of a decoder forward pass from a 2-D padding mask, the number of cached
/// positions and an optional sliding window, with the semantics of transformers 4.34: query <c>i</c> (at cache index
/// <c>past + i</c>) may attend to key <c>j</c> when <c>j &lt;= past + i</c>, the key is not padding, and — with a
/// window <c>W</c> (Mistral) — <c>j &gt;= past + i - W</c>, i.e. <c>W + 1</c> keys including itself.
/// </summary>
public static class AttentionMaskBuilder
{
    /// <summary>
    /// Builds the bias. <paramref name="keyMask"/> is <c>[batch, past + queries]</c> (1 = real token, borrowed) or
    /// null when every key is real. The result is owned by the caller.
    /// </summary>
    /// <param name="keyMask">Padding mask over cached and new positions, or null.</param>
    /// <param name="queries">Number of new tokens.</param>
    /// <param name="past">Number of cached positions.</param>
    /// <param name="slidingWindow">Window <c>W</c>, or null for full causal attention.</param>
    /// <param name="dtype">Compute dtype (the bias dtype).</param>
    /// <param name="device">Device.</param>
    public static AttentionBias Build(Tensor? keyMask, int queries, int past, int? slidingWindow, ScalarType dtype, Device device)
    {
        var keys = past + queries;
        if (keyMask is not null && keyMask.shape[^1] != keys)
        {
            throw new ArgumentException($"attention mask covers {keyMask.shape[^1]} positions but the pass has {past} cached + {queries} new", nameof(keyMask));
        }

        // The window never cuts anything when the longest distance between a query and a visible key is within it.
        var windowMatters = slidingWindow is { } w && keys - 1 > w;
        if (keyMask is null && !windowMatters)
        {
            if (past == 0)
            {
                return AttentionBias.Causal();
            }

            if (queries == 1)
            {
                return AttentionBias.None();
            }
        }

        using var scope = NewDisposeScope();
        var rows = arange(past, keys, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var cols = arange(0, keys, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        var allowed = cols.le(rows);
        if (windowMatters)
        {
            allowed = allowed.logical_and(cols.ge(rows - slidingWindow!.Value));
        }

        allowed = allowed.unsqueeze(0).unsqueeze(0);
        if (keyMask is not null)
        {
            var real = keyMask.to(device).ne(0).unsqueeze(1).unsqueeze(1);
            allowed = allowed.logical_and(real);
        }

        var min = finfo(dtype).min;
        var bias = zeros(allowed.shape, dtype: dtype, device: device).masked_fill(allowed.logical_not(), CachedScalars.Of(min));
        return AttentionBias.FromAdditive(bias.DetachFromDisposeScope());
    }
}
