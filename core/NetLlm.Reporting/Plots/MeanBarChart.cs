using NetLlm.Reporting.Statistics;
using ScottPlot;

namespace NetLlm.Reporting.Plots;

/// <summary>The headline metric per setting and policy: bars at the mean over seeds, error bars of ± one standard deviation.</summary>
public static class MeanBarChart
{
    /// <summary>Draws the plot to <paramref name="path"/>.</summary>
    /// <param name="summary">The aggregated evaluation.</param>
    /// <param name="path">PNG file to write.</param>
    public static void Draw(EvaluationSummary summary, string path)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var results = summary.Results;
        using var plot = new Plot();
        var groupWidth = results.Policies.Count + 1;
        for (var p = 0; p < results.Policies.Count; p++)
        {
            var color = PlotStyle.PolicyColor(p);
            var bars = results.Settings.Select((setting, s) =>
            {
                var cell = summary.Cell(results.Policies[p], setting);
                return new Bar { Position = BoxPlotChart.Position(s, p, groupWidth), Value = cell.Mean, Error = cell.Std, FillColor = color, Size = 0.8 };
            }).ToList();
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = results.Policies[p];
        }

        var centers = results.Settings.Select((_, s) => BoxPlotChart.Position(s, 0, groupWidth) + ((results.Policies.Count - 1) / 2.0)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(centers, [.. results.Settings]);
        plot.Add.HorizontalLine(0, 1, Colors.Black);
        var seeds = results.Seeds.Count > 1 ? $" (mean ± std over {results.Seeds.Count} seeds)" : string.Empty;
        plot.Title($"{results.Task}: {results.Metric.Name} by setting{seeds}");
        plot.YLabel(PlotStyle.AxisLabel(results.Metric.Name, results.Metric.Unit) + (results.Metric.HigherIsBetter ? "  ↑ better" : "  ↓ better"));
        plot.XLabel("setting");
        plot.ShowLegend(Edge.Bottom); // outside the data area: grouped boxes and bars fill the whole width
        PlotStyle.Save(plot, path);
    }
}
