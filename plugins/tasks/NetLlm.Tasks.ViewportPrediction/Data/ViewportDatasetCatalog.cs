namespace NetLlm.Tasks.ViewportPrediction.Data;

/// <summary>A split of a viewport dataset.</summary>
public enum ViewportSplit
{
    /// <summary>Training videos × training viewers.</summary>
    Train,

    /// <summary>Validation videos × validation viewers.</summary>
    Valid,

    /// <summary>Test videos × test viewers.</summary>
    Test,
}

/// <summary>
/// A 360-degree head-movement dataset as the original lays it out: <c>&lt;name&gt;/video{V}/5Hz/simple_5Hz_user{U}.csv</c>,
/// with its fixed video and viewer splits (a split is the cross product of its videos and viewers) and the frame rate
/// of each video.
/// </summary>
/// <param name="Name">Folder name, for example <c>Jin2022</c>.</param>
/// <param name="Videos">Number of videos in the folder.</param>
/// <param name="Viewers">Number of viewers per video.</param>
/// <param name="SplitVideos">Videos of each split, in the original's order.</param>
/// <param name="SplitViewers">Viewers of each split, in the original's order.</param>
/// <param name="FrameRates">Frames per second of each video of the splits (index = video - 1).</param>
public sealed record ViewportDatasetInfo(
    string Name,
    int Videos,
    int Viewers,
    IReadOnlyDictionary<ViewportSplit, int[]> SplitVideos,
    IReadOnlyDictionary<ViewportSplit, int[]> SplitViewers,
    IReadOnlyList<int> FrameRates)
{
    /// <summary>The (video, viewer) pairs of a split: videos outer, viewers inner, as the original enumerates them.</summary>
    /// <param name="split">The split.</param>
    public IReadOnlyList<(int Video, int Viewer)> Pairs(ViewportSplit split) =>
        SplitVideos[split].SelectMany(v => SplitViewers[split].Select(u => (v, u))).ToList();

    /// <summary>Path of one trace file under the viewports folder.</summary>
    /// <param name="viewportsRoot">Folder holding the dataset folders (<c>&lt;data root&gt;/vp/viewports</c>).</param>
    /// <param name="video">Video number (1-based).</param>
    /// <param name="viewer">Viewer number (1-based).</param>
    public string TracePath(string viewportsRoot, int video, int viewer) =>
        Path.Combine(viewportsRoot, Name, $"video{video}", "5Hz", $"simple_5Hz_user{viewer}.csv");
}

/// <summary>The datasets the original evaluates on, with the splits of its <c>config.py</c>.</summary>
public static class ViewportDatasetCatalog
{
    /// <summary>Frequency of the traces (samples per second).</summary>
    public const int FrequencyHz = 5;

    /// <summary>Jin et al. 2022: 27 videos × 84 viewers, about 60 s each.</summary>
    public static ViewportDatasetInfo Jin2022 { get; } = new(
        "Jin2022",
        27,
        84,
        new Dictionary<ViewportSplit, int[]>
        {
            [ViewportSplit.Train] = [1, 5, 9, 2, 6, 11, 15, 16, 13, 17, 21, 22, 26, 19, 23],
            [ViewportSplit.Valid] = [3, 7, 12, 10, 20, 27],
            [ViewportSplit.Test] = [4, 8, 14, 18, 24, 25],
        },
        new Dictionary<ViewportSplit, int[]>
        {
            [ViewportSplit.Train] = [50, 54, 6, 34, 66, 63, 52, 39, 62, 46, 75, 28, 65, 18, 37, 13, 80, 33, 69, 78, 19, 40, 10, 43, 61, 72, 56, 41, 79, 82, 27, 71, 57, 67, 8, 2, 12, 81, 1, 64, 32, 42],
            [ViewportSplit.Valid] = [9, 25, 73, 29, 31, 70, 58, 11, 14, 38, 16, 76, 77, 74, 24, 5, 17, 20, 51, 68, 36],
            [ViewportSplit.Test] = [83, 15, 3, 35, 48, 22, 55, 4, 45, 60, 26, 21, 44, 23, 53, 84, 59, 49, 7, 47, 30],
        },
        [30, 30, 30, 30, 30, 30, 30, 30, 30, 25, 25, 25, 25, 25, 25, 25, 25, 25, 30, 30, 30, 30, 30, 30, 30, 30, 30]);

    /// <summary>Wu et al. 2017: 18 videos × 48 viewers (the splits use videos 1–9).</summary>
    public static ViewportDatasetInfo Wu2017 { get; } = new(
        "Wu2017",
        18,
        48,
        new Dictionary<ViewportSplit, int[]>
        {
            [ViewportSplit.Train] = [9, 7, 4, 1, 6],
            [ViewportSplit.Valid] = [8, 2],
            [ViewportSplit.Test] = [3, 5],
        },
        new Dictionary<ViewportSplit, int[]>
        {
            [ViewportSplit.Train] = [23, 3, 19, 24, 18, 28, 9, 26, 6, 15, 21, 25, 32, 38, 45, 34, 48, 44, 29, 43, 4, 36, 39, 8, 17, 42, 30, 11, 22, 37],
            [ViewportSplit.Valid] = [40, 20, 14, 1, 31, 12, 33, 27, 10],
            [ViewportSplit.Test] = [16, 7, 46, 5, 35, 2, 41, 47, 13],
        },
        [30, 30, 30, 30, 30, 30, 25, 25, 30]);

    /// <summary>All known datasets.</summary>
    public static IReadOnlyList<ViewportDatasetInfo> All { get; } = [Jin2022, Wu2017];

    /// <summary>Dataset by name (case-insensitive); throws listing the known names.</summary>
    /// <param name="name">Dataset name.</param>
    public static ViewportDatasetInfo Get(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown viewport dataset '{name}'; known: {string.Join(", ", All.Select(d => d.Name))}");

    /// <summary>Parses a split name (<c>train</c>, <c>valid</c>, <c>test</c>); throws listing them otherwise.</summary>
    /// <param name="name">Split name.</param>
    public static ViewportSplit ParseSplit(string name) => name.ToLowerInvariant() switch
    {
        "train" => ViewportSplit.Train,
        "valid" or "validation" => ViewportSplit.Valid,
        "test" => ViewportSplit.Test,
        _ => throw new ArgumentException($"unknown split '{name}'; known: train, valid, test"),
    };
}
