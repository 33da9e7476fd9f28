using System.Collections.Concurrent;

namespace NetLlm.Tasks.ViewportPrediction.Data;

/// <summary>Loads the trace files of (video, viewer) pairs of a dataset, in parallel, validating every file.</summary>
public static class ViewportTraceLoader
{
    /// <summary>
    /// Loads the traces of <paramref name="pairs"/>. Throws <see cref="ArgumentException"/> for a video or viewer the
    /// dataset does not have, and <see cref="InvalidDataException"/> naming the file (and line) for a missing or bad
    /// file.
    /// </summary>
    /// <param name="viewportsRoot">Folder holding the dataset folders.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="pairs">(video, viewer) pairs.</param>
    /// <param name="timeTolerance">Largest accepted backward time step, seconds.</param>
    /// <param name="cancellation">Cancellation.</param>
    public static IReadOnlyDictionary<(int Video, int Viewer), ViewportTrace> Load(
        string viewportsRoot,
        ViewportDatasetInfo dataset,
        IEnumerable<(int Video, int Viewer)> pairs,
        double timeTolerance = ViewportCsvReader.DefaultTimeTolerance,
        CancellationToken cancellation = default)
    {
        var distinct = pairs.Distinct().ToList();
        foreach (var (video, viewer) in distinct)
        {
            if (video < 1 || video > dataset.Videos)
            {
                throw new ArgumentException($"unknown video {video} of {dataset.Name} (it has videos 1-{dataset.Videos}): {dataset.TracePath(viewportsRoot, video, viewer)}");
            }

            if (viewer < 1 || viewer > dataset.Viewers)
            {
                throw new ArgumentException($"unknown viewer {viewer} of {dataset.Name} (it has viewers 1-{dataset.Viewers}): {dataset.TracePath(viewportsRoot, video, viewer)}");
            }
        }

        var datasetFolder = Path.Combine(viewportsRoot, dataset.Name);
        if (!Directory.Exists(datasetFolder))
        {
            throw new InvalidDataException($"{datasetFolder}: dataset folder not found (expected <data root>/vp/viewports/{dataset.Name}, see vp/README.md)");
        }

        var result = new ConcurrentDictionary<(int, int), ViewportTrace>();
        try
        {
            Parallel.ForEach(
                distinct,
                new ParallelOptions { CancellationToken = cancellation, MaxDegreeOfParallelism = Environment.ProcessorCount },
                pair => result[pair] = ViewportCsvReader.Read(dataset.TracePath(viewportsRoot, pair.Video, pair.Viewer), timeTolerance));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            var first = e.InnerExceptions.OrderBy(x => x.Message, StringComparer.Ordinal).First();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }

        return result;
    }

    /// <summary>All (video, viewer) pairs of the dataset (every file of the folder layout).</summary>
    /// <param name="dataset">The dataset.</param>
    public static IEnumerable<(int Video, int Viewer)> AllPairs(ViewportDatasetInfo dataset) =>
        Enumerable.Range(1, dataset.Videos).SelectMany(v => Enumerable.Range(1, dataset.Viewers).Select(u => (v, u)));
}
