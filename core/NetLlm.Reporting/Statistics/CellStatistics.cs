using NetLlm.Reporting.Results;

namespace NetLlm.Reporting.Statistics;

/// <summary>
/// One policy on one setting, aggregated over seeds: the headline metric's mean and spread across seeds, the
/// per-item distribution pooled over seeds, and the mean of each metric component.
/// </summary>
/// <param name="Policy">Policy.</param>
/// <param name="Setting">Setting.</param>
/// <param name="Seeds">Number of seeds (runs).</param>
/// <param name="Mean">Mean of the runs' headline metric.</param>
/// <param name="Std">Sample standard deviation of the runs' headline metric (0 with one seed).</param>
/// <param name="Min">Smallest run metric.</param>
/// <param name="Max">Largest run metric.</param>
/// <param name="Items">Per-item distribution pooled over seeds, or null when the task reported none.</param>
/// <param name="Components">Mean over seeds of each component the runs reported.</param>
public sealed record CellStatistics(
    string Policy,
    string Setting,
    int Seeds,
    double Mean,
    double Std,
    double Min,
    double Max,
    DistributionStatistics? Items,
    IReadOnlyDictionary<string, double> Components)
{
    /// <summary>Aggregates the runs of one cell.</summary>
    /// <param name="policy">Policy.</param>
    /// <param name="setting">Setting.</param>
    /// <param name="runs">The cell's runs (one per seed, at least one).</param>
    /// <param name="componentNames">Component names to average (those a run lacks are averaged over the runs that have them).</param>
    public static CellStatistics Of(string policy, string setting, IReadOnlyList<EvaluationRun> runs, IReadOnlyList<string> componentNames)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(componentNames);
        if (runs.Count == 0)
        {
            throw new ArgumentException($"no runs of {policy} on {setting}", nameof(runs));
        }

        var metrics = runs.Select(r => r.Metric).ToArray();
        var components = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in componentNames)
        {
            var values = runs.Where(r => r.Components.ContainsKey(name)).Select(r => r.Components[name]).ToArray();
            if (values.Length > 0)
            {
                components[name] = Descriptive.Mean(values);
            }
        }

        return new CellStatistics(
            policy,
            setting,
            runs.Count,
            Descriptive.Mean(metrics),
            Descriptive.SampleStd(metrics),
            metrics.Min(),
            metrics.Max(),
            DistributionStatistics.Of(runs.SelectMany(r => r.Distribution)),
            components);
    }
}
