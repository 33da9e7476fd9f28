namespace NetLlm.Reporting.Writers;

/// <summary>File names inside a report folder.</summary>
public static class ReportFiles
{
    /// <summary>Everything, machine-readable: metric, grid, cells, best policies, improvements, runs.</summary>
    public const string ResultsJson = "results.json";

    /// <summary>One row per run.</summary>
    public const string ResultsCsv = "results.csv";

    /// <summary>One row per distribution item of every run.</summary>
    public const string ItemsCsv = "items.csv";

    /// <summary>The comparison tables.</summary>
    public const string SummaryMarkdown = "summary.md";

    /// <summary>Sub-folder of the PNG plots.</summary>
    public const string PlotsFolder = "plots";
}
