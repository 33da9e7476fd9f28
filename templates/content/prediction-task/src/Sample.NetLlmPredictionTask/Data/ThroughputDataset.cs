namespace Sample.NetLlmPredictionTask.Data;

/// <summary>
/// Cuts traces into samples and splits them by trace: of every five traces (in name order) the first three are
/// training traces, the fourth validation and the fifth test traces, so no trace contributes to two splits.
/// </summary>
public static class ThroughputDataset
{
    /// <summary>The split of the trace at <paramref name="index"/>.</summary>
    /// <param name="index">Position of the trace in name order.</param>
    public static ThroughputSplit SplitOf(int index) => (index % 5) switch
    {
        3 => ThroughputSplit.Valid,
        4 => ThroughputSplit.Test,
        _ => ThroughputSplit.Train,
    };

    /// <summary>The samples of <paramref name="split"/>: windows every <paramref name="stride"/> samples of its traces.</summary>
    /// <param name="traces">All traces, in name order.</param>
    /// <param name="split">The split.</param>
    /// <param name="stride">Samples between window starts.</param>
    public static IReadOnlyList<ThroughputSample> Samples(IReadOnlyList<ThroughputTrace> traces, ThroughputSplit split, int stride)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        const int length = ThroughputConstants.History + ThroughputConstants.Horizon;
        var samples = new List<ThroughputSample>();
        for (var t = 0; t < traces.Count; t++)
        {
            if (SplitOf(t) != split)
            {
                continue;
            }

            var mbps = traces[t].Mbps;
            for (var start = 0; start + length <= mbps.Count; start += stride)
            {
                var history = Enumerable.Range(start, ThroughputConstants.History).Select(i => mbps[i]).ToArray();
                var future = Enumerable.Range(start + ThroughputConstants.History, ThroughputConstants.Horizon).Select(i => mbps[i]).ToArray();
                samples.Add(new ThroughputSample($"{traces[t].Name}@{start}", new ThroughputHistory(history), future));
            }
        }

        return samples;
    }
}
