using NetLlm.Reporting.Statistics;
using ScottPlot;

namespace NetLlm.Reporting.Plots;

/// <summary>
/// The CDF of the per-item values of every policy on one setting (pooled over seeds), one step line per policy,
/// like the paper's CDF figures.
/// </summary>
public static class CdfPlot
{
    /// <summary>At most this many points are drawn per curve (evenly spaced ranks of the sorted values).</summary>
    public const int MaxPoints = 2000;

    /// <summary>Draws the plot to <paramref name="path"/>; returns false (and writes nothing) when no policy has items.</summary>
    /// <param name="summary">The aggregated evaluation.</param>
    /// <param name="setting">The setting.</param>
    /// <param name="path">PNG file to write.</param>
    public static bool Draw(EvaluationSummary summary, string setting, string path)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var results = summary.Results;
        using var plot = new Plot();
        var drawn = 0;
        for (var p = 0; p < results.Policies.Count; p++)
        {
            var policy = results.Policies[p];
            var sorted = Descriptive.Sorted(results.Cell(policy, setting).SelectMany(r => r.Distribution));
            if (sorted.Length == 0)
            {
                continue;
            }

            var (xs, ys) = Curve(sorted);
            var line = plot.Add.ScatterLine(xs, ys, PlotStyle.PolicyColor(p));
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.LegendText = policy;
            drawn++;
        }

        if (drawn == 0)
        {
            return false;
        }

        plot.Title($"{results.Task} · {setting}: CDF of the {results.ItemQuantity} per {results.ItemName}");
        plot.XLabel(PlotStyle.AxisLabel($"{results.ItemQuantity} per {results.ItemName}", results.Metric.Unit) + (results.Metric.HigherIsBetter ? "  (higher is better)" : "  (lower is better)"));
        plot.YLabel("CDF");
        plot.Axes.SetLimitsY(0, 1.02);
        plot.ShowLegend(results.Metric.HigherIsBetter ? Alignment.UpperLeft : Alignment.LowerRight);
        PlotStyle.Save(plot, path);
        return true;
    }

    /// <summary>
    /// The points of the empirical CDF of <paramref name="sorted"/>: value i has cumulative probability (i + 1) / n;
    /// long lists are thinned to <see cref="MaxPoints"/> evenly spaced ranks, always keeping the first and last.
    /// </summary>
    /// <param name="sorted">Values in ascending order (at least one).</param>
    public static (double[] X, double[] Y) Curve(IReadOnlyList<double> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var n = sorted.Count;
        var count = Math.Min(n, MaxPoints);
        var xs = new double[count + 1];
        var ys = new double[count + 1];
        xs[0] = sorted[0];
        ys[0] = 0;
        for (var k = 0; k < count; k++)
        {
            var i = count == n ? k : (int)Math.Round((double)k * (n - 1) / (count - 1));
            xs[k + 1] = sorted[i];
            ys[k + 1] = (i + 1.0) / n;
        }

        return (xs, ys);
    }
}
