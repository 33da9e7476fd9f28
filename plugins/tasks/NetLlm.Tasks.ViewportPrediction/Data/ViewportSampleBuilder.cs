namespace NetLlm.Tasks.ViewportPrediction.Data;

/// <summary>Cuts samples out of traces with a <see cref="ViewportWindow"/>, in the original's order.</summary>
public static class ViewportSampleBuilder
{
    /// <summary>
    /// Samples of the given pairs (videos outer, viewers inner, time inner-most). Throws
    /// <see cref="InvalidDataException"/> naming the file when a trace is shorter than history + future.
    /// </summary>
    /// <param name="dataset">Dataset name recorded in the samples.</param>
    /// <param name="traces">Loaded traces.</param>
    /// <param name="pairs">Pairs in order.</param>
    /// <param name="window">The windows.</param>
    public static List<ViewportSample> Build(
        string dataset,
        IReadOnlyDictionary<(int Video, int Viewer), ViewportTrace> traces,
        IEnumerable<(int Video, int Viewer)> pairs,
        ViewportWindow window)
    {
        window.Validate();
        var samples = new List<ViewportSample>();
        foreach (var pair in pairs)
        {
            if (!traces.TryGetValue(pair, out var trace))
            {
                throw new ArgumentException($"{dataset}: no trace loaded for video {pair.Video} viewer {pair.Viewer}");
            }

            if (trace.Rows < window.History + window.Future)
            {
                throw new InvalidDataException(
                    $"{trace.Path}: {trace.Rows} rows, fewer than history + future = {window.History} + {window.Future}");
            }

            foreach (var t in window.Starts(trace.Rows))
            {
                samples.Add(new ViewportSample(
                    dataset,
                    pair.Video,
                    pair.Viewer,
                    t,
                    trace.Slice(t - window.History, window.History),
                    trace.Slice(t, window.Future)));
            }
        }

        return samples;
    }
}
