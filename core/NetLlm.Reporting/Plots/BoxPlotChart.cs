using NetLlm.Reporting.Statistics;
using ScottPlot;

namespace NetLlm.Reporting.Plots;

/// <summary>
/// Box plots of the per-item values, one group per setting and one box per policy (pooled over seeds): box =
/// quartiles, line = median, whiskers = Tukey's 1.5 IQR, a marker at the mean.
/// </summary>
public static class BoxPlotChart
{
    /// <summary>Draws the plot to <paramref name="path"/>; returns false (and writes nothing) when no cell has items.</summary>
    /// <param name="summary">The aggregated evaluation.</param>
    /// <param name="path">PNG file to write.</param>
    public static bool Draw(EvaluationSummary summary, string path)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var results = summary.Results;
        if (summary.Cells.All(c => c.Items is null))
        {
            return false;
        }

        using var plot = new Plot();
        var groupWidth = results.Policies.Count + 1;
        for (var p = 0; p < results.Policies.Count; p++)
        {
            var color = PlotStyle.PolicyColor(p);
            var boxes = new List<Box>();
            var meanXs = new List<double>();
            var meanYs = new List<double>();
            for (var s = 0; s < results.Settings.Count; s++)
            {
                if (summary.Cell(results.Policies[p], results.Settings[s]).Items is not { } d)
                {
                    continue;
                }

                var x = Position(s, p, groupWidth);
                boxes.Add(new Box
                {
                    Position = x,
                    BoxMin = d.P25,
                    BoxMax = d.P75,
                    BoxMiddle = d.Median,
                    WhiskerMin = d.WhiskerLow,
                    WhiskerMax = d.WhiskerHigh,
                    Width = 0.8,
                });
                meanXs.Add(x);
                meanYs.Add(d.Mean);
            }

            if (boxes.Count == 0)
            {
                continue;
            }

            var plottable = plot.Add.Boxes(boxes);
            plottable.FillColor = color.WithAlpha(0.55);
            plottable.LineColor = color.Darken(0.4);
            plottable.LegendText = results.Policies[p];
            var means = plot.Add.ScatterPoints(meanXs.ToArray(), meanYs.ToArray(), Colors.Black);
            means.MarkerShape = MarkerShape.OpenDiamond;
            means.MarkerSize = 8;
        }

        var centers = results.Settings.Select((_, s) => Position(s, 0, groupWidth) + ((results.Policies.Count - 1) / 2.0)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(centers, [.. results.Settings]);
        plot.Title($"{results.Task}: {results.ItemQuantity} per {results.ItemName}, by setting (◇ = mean)");
        plot.YLabel(PlotStyle.AxisLabel($"{results.ItemQuantity} per {results.ItemName}", results.Metric.Unit) + (results.Metric.HigherIsBetter ? "  ↑ better" : "  ↓ better"));
        plot.XLabel("setting");
        plot.ShowLegend(Edge.Bottom); // outside the data area: grouped boxes and bars fill the whole width
        PlotStyle.Save(plot, path);
        return true;
    }

    /// <summary>X position of policy <paramref name="p"/>'s box in setting group <paramref name="s"/>.</summary>
    /// <param name="s">Setting index.</param>
    /// <param name="p">Policy index.</param>
    /// <param name="groupWidth">Policies + 1 (a gap between groups).</param>
    public static double Position(int s, int p, int groupWidth) => (s * groupWidth) + p;
}
