using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Core.Engine;

/// <summary>What one policy did in one run of a verb: its score (test), what it collected (collect) or trained (adapt).</summary>
public sealed record PolicyRun
{
    /// <summary>Policy id or run directory.</summary>
    public required string Policy { get; init; }

    /// <summary>Setting name.</summary>
    public required string Setting { get; init; }

    /// <summary>Seed.</summary>
    public required int Seed { get; init; }

    /// <summary>The score (test), or null.</summary>
    public RunScore? Score { get; init; }

    /// <summary>Verb-specific facts (episodes and steps collected, training summary).</summary>
    public JsonObject? Details { get; init; }

    /// <summary>Wall time of the run in seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>The headline metric, or null when the run measured none.</summary>
    public double? Metric => Score?.Metric;
}
