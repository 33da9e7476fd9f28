using System.Text.Json.Nodes;

namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// What a task verb returns: the JSON document written by <c>--json</c>, the headline number and its
/// distribution for reports, and lines for the terminal.
/// </summary>
public sealed class TaskReport
{
    /// <summary>The JSON results (always includes <c>seed</c>).</summary>
    public required JsonObject Json { get; init; }

    /// <summary>Headline metric value, when the verb measures one.</summary>
    public double? Metric { get; init; }

    /// <summary>Per-item metric values (per trace, per job, per sample) for CDFs and box plots.</summary>
    public IReadOnlyList<double> Distribution { get; init; } = [];

    /// <summary>Named components of the metric (for example bitrate, rebuffering and smoothness terms).</summary>
    public IReadOnlyDictionary<string, double> Components { get; init; } = new Dictionary<string, double>();

    /// <summary>Human-readable summary lines.</summary>
    public IReadOnlyList<string> Summary { get; init; } = [];
}
