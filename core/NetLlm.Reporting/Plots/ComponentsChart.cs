using NetLlm.Reporting.Statistics;
using ScottPlot;

namespace NetLlm.Reporting.Plots;

/// <summary>
/// The metric's components on one setting (for ABR the QoE breakdown into bitrate, rebuffering and smoothness, like
/// the paper's figure): one group per component, one bar per policy, at the mean over seeds.
/// </summary>
public static class ComponentsChart
{
    /// <summary>Draws the plot to <paramref name="path"/>; returns false (and writes nothing) when there are no components.</summary>
    /// <param name="summary">The aggregated evaluation.</param>
    /// <param name="setting">The setting.</param>
    /// <param name="path">PNG file to write.</param>
    public static bool Draw(EvaluationSummary summary, string setting, string path)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var results = summary.Results;
        var names = results.ComponentNames;
        if (names.Count == 0)
        {
            return false;
        }

        using var plot = new Plot();
        var groupWidth = results.Policies.Count + 1;
        for (var p = 0; p < results.Policies.Count; p++)
        {
            var cell = summary.Cell(results.Policies[p], setting);
            var color = PlotStyle.PolicyColor(p);
            var bars = names.Select((name, c) => new Bar
            {
                Position = BoxPlotChart.Position(c, p, groupWidth),
                Value = cell.Components.TryGetValue(name, out var v) ? v : 0,
                FillColor = color,
                Size = 0.8,
            }).ToList();
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = results.Policies[p];
        }

        var centers = names.Select((_, c) => BoxPlotChart.Position(c, 0, groupWidth) + ((results.Policies.Count - 1) / 2.0)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(centers, [.. names]);
        plot.Add.HorizontalLine(0, 1, Colors.Black);
        plot.Axes.Margins(bottom: 0);
        plot.Title($"{results.Task} · {setting}: components of {results.Metric.Name}");
        plot.YLabel($"mean over seeds ({results.Metric.Name} units)");
        plot.XLabel("component");
        plot.ShowLegend(Edge.Bottom); // outside the data area: grouped boxes and bars fill the whole width
        PlotStyle.Save(plot, path);
        return true;
    }
}
