using System.Text.Json.Nodes;

namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// What one policy scored in one run (all episodes of a test, or all samples of a prediction test): the headline
/// metric, its distribution over items, its components and task-specific facts.
/// </summary>
public sealed record RunScore
{
    /// <summary>The headline metric (see <see cref="TaskInfo.Metric"/>).</summary>
    public required double Metric { get; init; }

    /// <summary>Per-item values (per trace, per job, per sample) for CDFs and box plots.</summary>
    public IReadOnlyList<ScoredItem> Items { get; init; } = [];

    /// <summary>Values of the metric's components (<see cref="MetricInfo.Components"/>), by name.</summary>
    public IReadOnlyDictionary<string, double> Components { get; init; } = new Dictionary<string, double>();

    /// <summary>Task-specific facts for <c>--json</c> (episodes, jobs completed, per-job tables); null for none.</summary>
    public JsonObject? Details { get; init; }

    /// <summary>Extra lines for the terminal (the engine prints the metric and components itself).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>One entry of a run's distribution.</summary>
/// <param name="Name">What it is (a trace name, a job, a sample).</param>
/// <param name="Value">Its value.</param>
public readonly record struct ScoredItem(string Name, double Value);
