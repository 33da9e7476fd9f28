using NetLlm.Abstractions.Options;

namespace Sample.NetLlmDecisionTask;

/// <summary>
/// Options of the task (environment and data). Every property marked with <see cref="OptionAttribute"/> becomes a
/// command-line option (<c>--traces</c>, <c>--switch-cost</c>, ...), a key of the configuration's
/// <c>tasks.sample-link</c> section and an entry of run directories' options, with the same name everywhere.
/// </summary>
public sealed record LinkOptions
{
    /// <summary>Folder of trace files (under the data root or the working directory), or null for generated traces.</summary>
    [Option("folder of link trace files (*.txt, one line per step: the three links' capacities in Mbit/s); default: generated traces")]
    public string? Traces { get; init; }

    /// <summary>Generated traces (when <see cref="Traces"/> is null).</summary>
    [Option("generated traces when no --traces folder is given", Minimum = 1, Maximum = 10000)]
    public int GeneratedTraces { get; init; } = 6;

    /// <summary>Seed of the generated traces (the run's seed drives the episodes).</summary>
    [Option("seed of the generated traces", Minimum = 0, Maximum = int.MaxValue)]
    public int TraceSeed { get; init; } = 1;

    /// <summary>Steps of an episode (at most the trace's length after the history).</summary>
    [Option("steps per episode (at most the trace length minus the history)", Minimum = 1, Maximum = 100000)]
    public int Steps { get; init; } = 40;

    /// <summary>Fraction of a step lost when the chosen link differs from the previous one.</summary>
    [Option("fraction of a step's throughput lost when switching links", Minimum = 0, Maximum = 1)]
    public double SwitchCost { get; init; } = 0.5;

    /// <summary>Episodes per run; null for one per trace.</summary>
    [Option("episodes per run (default: one per trace)", Minimum = 1, Maximum = 1000000)]
    public int? Episodes { get; init; }
}

/// <summary>Options of the task's NetLLM model (recorded in run directories).</summary>
public sealed record LinkModelOptions
{
    /// <summary>Capacities are divided by this before the encoder.</summary>
    [Option("capacities (Mbit/s) are divided by this before the history encoder", Minimum = 1e-6, Maximum = 1e6)]
    public double CapacityScale { get; init; } = 10;
}
