namespace NetLlm.Tasks.ViewportPrediction.Data;

/// <summary>Which samples to load: dataset, split (or explicit videos and viewers), windows and validation tolerance.</summary>
public sealed record ViewportDataRequest
{
    /// <summary>Default folder of the viewport datasets, relative to the data root.</summary>
    public const string DefaultViewportsFolder = "vp/viewports";

    /// <summary>Folder holding <c>Jin2022/</c> and <c>Wu2017/</c> (absolute, or relative to the data root).</summary>
    public string ViewportsFolder { get; init; } = DefaultViewportsFolder;

    /// <summary>The dataset.</summary>
    public ViewportDatasetInfo Dataset { get; init; } = ViewportDatasetCatalog.Jin2022;

    /// <summary>The split whose videos and viewers are used (unless overridden).</summary>
    public ViewportSplit Split { get; init; } = ViewportSplit.Test;

    /// <summary>Videos to use instead of the split's, or null.</summary>
    public IReadOnlyList<int>? Videos { get; init; }

    /// <summary>Viewers to use instead of the split's, or null.</summary>
    public IReadOnlyList<int>? Viewers { get; init; }

    /// <summary>The windows.</summary>
    public ViewportWindow Window { get; init; } = ViewportWindow.Default;

    /// <summary>Largest accepted backward time step, seconds.</summary>
    public double TimeTolerance { get; init; } = ViewportCsvReader.DefaultTimeTolerance;

    /// <summary>The (video, viewer) pairs in the original's order.</summary>
    public IReadOnlyList<(int Video, int Viewer)> Pairs()
    {
        var videos = Videos ?? Dataset.SplitVideos[Split];
        var viewers = Viewers ?? Dataset.SplitViewers[Split];
        return videos.SelectMany(v => viewers.Select(u => (v, u))).ToList();
    }

    /// <summary>The absolute viewports folder for a data root.</summary>
    /// <param name="dataRoot">Data root, or null when <see cref="ViewportsFolder"/> is absolute.</param>
    public string ResolveFolder(string? dataRoot)
    {
        if (Path.IsPathRooted(ViewportsFolder))
        {
            return ViewportsFolder;
        }

        if (string.IsNullOrEmpty(dataRoot))
        {
            throw new ArgumentException($"no data root configured: cannot find {ViewportsFolder} (pass --data-root or an absolute --viewports folder)");
        }

        return Path.GetFullPath(Path.Combine(dataRoot, ViewportsFolder));
    }
}

/// <summary>Samples loaded for a <see cref="ViewportDataRequest"/>, with what was read.</summary>
/// <param name="Request">The request.</param>
/// <param name="Samples">Samples in the original's order.</param>
/// <param name="Files">Trace files read.</param>
/// <param name="ToleratedTimeReversals">Rows whose time went back within the tolerance, over all files.</param>
/// <param name="LoadSeconds">Wall time of reading and cutting.</param>
public sealed record ViewportDataset(
    ViewportDataRequest Request,
    IReadOnlyList<ViewportSample> Samples,
    int Files,
    int ToleratedTimeReversals,
    double LoadSeconds)
{
    /// <summary>Loads the samples of a request.</summary>
    /// <param name="dataRoot">Data root.</param>
    /// <param name="request">What to load.</param>
    /// <param name="cancellation">Cancellation.</param>
    public static ViewportDataset Load(string? dataRoot, ViewportDataRequest request, CancellationToken cancellation = default)
    {
        request.Window.Validate();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var folder = request.ResolveFolder(dataRoot);
        var pairs = request.Pairs();
        var traces = ViewportTraceLoader.Load(folder, request.Dataset, pairs, request.TimeTolerance, cancellation);
        var samples = ViewportSampleBuilder.Build(request.Dataset.Name, traces, pairs, request.Window);
        if (samples.Count == 0 && traces.Count > 0)
        {
            // Every trace is too short for one window after trimming: name them, with their lengths.
            var w = request.Window;
            var shortest = traces.Values.OrderBy(t => t.Rows).Take(5).Select(t => $"{t.Path} ({t.Rows} rows)");
            throw new InvalidDataException(
                $"no trace yields a sample: each needs more than {w.TrimHead + w.TrimTail} rows (--trim-head {w.TrimHead} + --trim-tail {w.TrimTail}); shortest: {string.Join(", ", shortest)}");
        }

        return new ViewportDataset(request, samples, traces.Count, traces.Values.Sum(t => t.ToleratedTimeReversals), watch.Elapsed.TotalSeconds);
    }
}
