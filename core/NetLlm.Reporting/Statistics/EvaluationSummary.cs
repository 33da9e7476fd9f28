using NetLlm.Reporting.Results;

namespace NetLlm.Reporting.Statistics;

/// <summary>
/// The aggregated view of an evaluation that the tables and plots are drawn from: one <see cref="CellStatistics"/>
/// per policy × setting, the best policy of each setting (by mean over seeds, in the metric's direction; ties go to
/// the policy listed first) and its improvement over every other policy, and each policy's mean over settings.
/// </summary>
public sealed class EvaluationSummary
{
    private readonly Dictionary<(string Policy, string Setting), CellStatistics> _cells = [];

    /// <summary>Aggregates <paramref name="results"/>.</summary>
    /// <param name="results">Validated results.</param>
    public EvaluationSummary(EvaluationResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        Results = results;
        foreach (var policy in results.Policies)
        {
            foreach (var setting in results.Settings)
            {
                _cells[(policy, setting)] = CellStatistics.Of(policy, setting, results.Cell(policy, setting), results.ComponentNames);
            }
        }

        var higher = results.Metric.HigherIsBetter;
        var best = new Dictionary<string, string>(StringComparer.Ordinal);
        var improvements = new List<PolicyImprovement>();
        foreach (var setting in results.Settings)
        {
            var winner = results.Policies[0];
            foreach (var policy in results.Policies.Skip(1))
            {
                var candidate = Cell(policy, setting).Mean;
                var current = Cell(winner, setting).Mean;
                if (higher ? candidate > current : candidate < current)
                {
                    winner = policy;
                }
            }

            best[setting] = winner;
            improvements.AddRange(results.Policies
                .Where(p => p != winner)
                .Select(p => PolicyImprovement.Of(setting, winner, p, Cell(winner, setting).Mean, Cell(p, setting).Mean, higher)));
        }

        Best = best;
        Improvements = improvements;
        MeanOverSettings = results.Policies.ToDictionary(
            p => p,
            p => Descriptive.Mean([.. results.Settings.Select(s => Cell(p, s).Mean)]),
            StringComparer.Ordinal);
    }

    /// <summary>The results summarised.</summary>
    public EvaluationResults Results { get; }

    /// <summary>Cells in report order (policy, then setting).</summary>
    public IEnumerable<CellStatistics> Cells => Results.Policies.SelectMany(p => Results.Settings.Select(s => _cells[(p, s)]));

    /// <summary>Best policy per setting.</summary>
    public IReadOnlyDictionary<string, string> Best { get; }

    /// <summary>Improvement of each setting's best policy over each other policy (setting order, then policy order).</summary>
    public IReadOnlyList<PolicyImprovement> Improvements { get; }

    /// <summary>Each policy's mean of its per-setting means.</summary>
    public IReadOnlyDictionary<string, double> MeanOverSettings { get; }

    /// <summary>The statistics of one policy on one setting.</summary>
    /// <param name="policy">Policy.</param>
    /// <param name="setting">Setting.</param>
    public CellStatistics Cell(string policy, string setting) =>
        _cells.TryGetValue((policy, setting), out var cell) ? cell : throw new KeyNotFoundException($"no cell {policy} on {setting}");
}
