using NetLlm.Core.Engine;
using NetLlm.Reporting.Plots;
using NetLlm.Reporting.Results;
using NetLlm.Reporting.Statistics;

namespace NetLlm.Cli.Commands;

/// <summary>The demo's plots: the same charts as an <c>eval</c> report (means, box, CDF, components), for its one setting.</summary>
internal static class DemoPlots
{
    /// <summary>Draws the plots into <c>&lt;folder&gt;/plots</c>; returns the files written, relative to <paramref name="folder"/>.</summary>
    /// <param name="result">The demo's result.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="folder">The report folder.</param>
    public static IReadOnlyList<string> Draw(DemoResult result, int seed, string folder)
    {
        var setting = result.RealData ? "data" : "embedded";
        var runs = result.Tests.Select(t => new EvaluationRun(
            t.Policy,
            setting,
            seed,
            t.Run.Metric ?? double.NaN,
            [.. t.Run.Score?.Items.Select(i => i.Value) ?? []],
            t.Run.Score is { } score ? new Dictionary<string, double>(score.Components, StringComparer.Ordinal) : new Dictionary<string, double>(StringComparer.Ordinal),
            [])).ToList();
        var metric = result.Task.Metric;
        var results = new EvaluationResults(result.Task.Id, $"{result.Task.Title}, {result.Title}", metric, [.. runs.Select(r => r.Policy)], [setting], [seed], runs, metric.ItemLabel, metric.ItemQuantity);
        return ReportPlots.Draw(new EvaluationSummary(results), folder, "plots");
    }
}
