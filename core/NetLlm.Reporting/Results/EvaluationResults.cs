using NetLlm.Abstractions.Tasks;

namespace NetLlm.Reporting.Results;

/// <summary>
/// Every run of an evaluation (one per policy × setting × seed) with the task's metric description. The constructor
/// checks that the grid is complete and the numbers are finite, naming the offending run otherwise.
/// </summary>
public sealed class EvaluationResults
{
    private readonly Dictionary<(string Policy, string Setting, int Seed), EvaluationRun> _byKey = [];

    /// <summary>Creates the results and validates them.</summary>
    /// <param name="task">Task id, for example <c>abr</c>.</param>
    /// <param name="title">Task title, for example <c>Adaptive bitrate streaming</c>.</param>
    /// <param name="metric">The task's headline metric (its direction decides the best policy).</param>
    /// <param name="policies">Policies in report order (unique).</param>
    /// <param name="settings">Settings in report order (unique).</param>
    /// <param name="seeds">Seeds (unique).</param>
    /// <param name="runs">Exactly one run per policy × setting × seed, in any order.</param>
    /// <param name="itemName">What one distribution item is (<c>trace</c>, <c>job</c>, <c>sample</c>), for labels.</param>
    /// <param name="itemQuantity">What a distribution value measures (<c>job completion time</c>), for labels; default: the metric's name.</param>
    /// <exception cref="ArgumentException">Empty or duplicate lists, a run outside the grid, a missing or duplicate run, or a non-finite number.</exception>
    public EvaluationResults(
        string task,
        string title,
        MetricInfo metric,
        IReadOnlyList<string> policies,
        IReadOnlyList<string> settings,
        IReadOnlyList<int> seeds,
        IReadOnlyList<EvaluationRun> runs,
        string itemName = "item",
        string? itemQuantity = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(task);
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(runs);
        Task = task;
        Title = string.IsNullOrEmpty(title) ? task : title;
        Metric = metric;
        Policies = RequireUnique(policies, "policies");
        Settings = RequireUnique(settings, "settings");
        Seeds = RequireUnique(seeds, "seeds");
        ItemName = string.IsNullOrEmpty(itemName) ? "item" : itemName;
        ItemQuantity = string.IsNullOrEmpty(itemQuantity) ? metric.Name : itemQuantity;
        foreach (var run in runs)
        {
            Validate(run);
            if (!_byKey.TryAdd((run.Policy, run.Setting, run.Seed), run))
            {
                throw new ArgumentException($"duplicate run: {Describe(run)}", nameof(runs));
            }
        }

        var missing = (from p in Policies from s in Settings from seed in Seeds where !_byKey.ContainsKey((p, s, seed)) select $"{p} on {s} (seed {seed})").ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"{missing.Count} run(s) missing from the evaluation grid, first: {missing[0]}", nameof(runs));
        }

        Runs = [.. from p in Policies from s in Settings from seed in Seeds select _byKey[(p, s, seed)]];
        ComponentNames = [.. Runs.SelectMany(r => r.Components.Keys).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Task id.</summary>
    public string Task { get; }

    /// <summary>Task title.</summary>
    public string Title { get; }

    /// <summary>The headline metric and its direction.</summary>
    public MetricInfo Metric { get; }

    /// <summary>Policies in report order.</summary>
    public IReadOnlyList<string> Policies { get; }

    /// <summary>Settings in report order.</summary>
    public IReadOnlyList<string> Settings { get; }

    /// <summary>Seeds in report order.</summary>
    public IReadOnlyList<int> Seeds { get; }

    /// <summary>What one distribution item is, for labels (<c>trace</c>, <c>job</c>, <c>sample</c>, <c>item</c>).</summary>
    public string ItemName { get; }

    /// <summary>What one distribution value measures (for example <c>job completion time</c>), for labels.</summary>
    public string ItemQuantity { get; }

    /// <summary>Every run, ordered by policy, then setting, then seed (report order).</summary>
    public IReadOnlyList<EvaluationRun> Runs { get; }

    /// <summary>Names of the metric components any run reported, in first-seen order.</summary>
    public IReadOnlyList<string> ComponentNames { get; }

    /// <summary>The run of <paramref name="policy"/> on <paramref name="setting"/> with <paramref name="seed"/>.</summary>
    /// <param name="policy">Policy.</param>
    /// <param name="setting">Setting.</param>
    /// <param name="seed">Seed.</param>
    public EvaluationRun Get(string policy, string setting, int seed) =>
        _byKey.TryGetValue((policy, setting, seed), out var run)
            ? run
            : throw new KeyNotFoundException($"no run of {policy} on {setting} (seed {seed})");

    /// <summary>The runs of one policy on one setting, in seed order.</summary>
    /// <param name="policy">Policy.</param>
    /// <param name="setting">Setting.</param>
    public IReadOnlyList<EvaluationRun> Cell(string policy, string setting) => [.. Seeds.Select(seed => Get(policy, setting, seed))];

    private static IReadOnlyList<T> RequireUnique<T>(IReadOnlyList<T> values, string name)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count == 0)
        {
            throw new ArgumentException($"an evaluation needs at least one of {name}", name);
        }

        var duplicate = values.GroupBy(v => v).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? [.. values] : throw new ArgumentException($"{name}: '{duplicate.Key}' is listed twice", name);
    }

    private void Validate(EvaluationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!Policies.Contains(run.Policy) || !Settings.Contains(run.Setting) || !Seeds.Contains(run.Seed))
        {
            throw new ArgumentException($"run outside the evaluation grid: {Describe(run)}");
        }

        if (!double.IsFinite(run.Metric))
        {
            throw new ArgumentException($"{Describe(run)}: metric {Metric.Name} is {run.Metric}, not a finite number");
        }

        for (var i = 0; i < run.Distribution.Count; i++)
        {
            if (!double.IsFinite(run.Distribution[i]))
            {
                throw new ArgumentException($"{Describe(run)}: distribution item {i} is {run.Distribution[i]}, not a finite number");
            }
        }

        foreach (var (name, value) in run.Components)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException($"{Describe(run)}: component '{name}' is {value}, not a finite number");
            }
        }
    }

    private string Describe(EvaluationRun run) => $"{Task} {run.Policy} on {run.Setting} (seed {run.Seed})";
}
