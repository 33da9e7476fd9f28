using NetLlm.Reporting.Statistics;

namespace NetLlm.Reporting.Plots;

/// <summary>
/// Draws every plot of a report into a folder: <c>means.png</c>, <c>box.png</c>, <c>cdf_&lt;setting&gt;.png</c> per
/// setting and, when the task reports metric components, <c>components_&lt;setting&gt;.png</c> per setting.
/// </summary>
public static class ReportPlots
{
    /// <summary>Draws the plots; returns the files written, relative to <paramref name="reportFolder"/>, in order.</summary>
    /// <param name="summary">The aggregated evaluation.</param>
    /// <param name="reportFolder">The report folder (plots go into its <c>plots</c> sub-folder).</param>
    /// <param name="plotsFolder">Sub-folder name.</param>
    public static IReadOnlyList<string> Draw(EvaluationSummary summary, string reportFolder, string plotsFolder)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var written = new List<string>();
        void Add(string name, Func<string, bool> draw)
        {
            var relative = Path.Combine(plotsFolder, name);
            if (draw(Path.Combine(reportFolder, relative)))
            {
                written.Add(relative);
            }
        }

        Add("means.png", path =>
        {
            MeanBarChart.Draw(summary, path);
            return true;
        });
        Add("box.png", path => BoxPlotChart.Draw(summary, path));
        foreach (var setting in summary.Results.Settings)
        {
            Add($"cdf_{PlotStyle.FileSafe(setting)}.png", path => CdfPlot.Draw(summary, setting, path));
        }

        foreach (var setting in summary.Results.Settings)
        {
            Add($"components_{PlotStyle.FileSafe(setting)}.png", path => ComponentsChart.Draw(summary, setting, path));
        }

        return written;
    }
}
