using Microsoft.Extensions.Logging;
using NetLlm.Abstractions.Plugins;

namespace NetLlm.Abstractions.Tasks;

/// <summary>Everything a task verb runs with. Immutable: derive a changed copy with <c>request with { ... }</c>.</summary>
public sealed record TaskRequest
{
    /// <summary>The verb.</summary>
    public required TaskVerb Verb { get; init; }

    /// <summary>Data root (layout of the project's data folder), or null when none was configured.</summary>
    public string? DataRoot { get; init; }

    /// <summary>Seed of the run; reported with every result.</summary>
    public int Seed { get; init; }

    /// <summary>Policy ids or run directories (test, collect).</summary>
    public IReadOnlyList<string> Policies { get; init; } = [];

    /// <summary>Setting name (merged into <see cref="Arguments"/> by the host), or null.</summary>
    public string? Setting { get; init; }

    /// <summary>Task-specific option values.</summary>
    public TaskArguments Arguments { get; init; } = new();

    /// <summary>Output path: the pool file (collect), the run directory (adapt), a results folder (test).</summary>
    public string? Output { get; init; }

    /// <summary>All loaded plugins (to find baselines, encoders and backbones).</summary>
    public required IPluginRegistry Registry { get; init; }

    /// <summary>Progress reporting.</summary>
    public IProgressSink Progress { get; init; } = NullProgressSink.Instance;

    /// <summary>Logger.</summary>
    public ILogger Logger { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Cancellation (Ctrl+C).</summary>
    public CancellationToken Cancellation { get; init; }
}
