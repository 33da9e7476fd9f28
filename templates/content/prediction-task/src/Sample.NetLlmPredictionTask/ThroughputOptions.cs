using NetLlm.Abstractions.Options;

namespace Sample.NetLlmPredictionTask;

/// <summary>Which part of the traces <c>test</c> evaluates.</summary>
public enum ThroughputSplit
{
    /// <summary>Traces 0, 1, 2 of every 5.</summary>
    Train,

    /// <summary>Trace 3 of every 5.</summary>
    Valid,

    /// <summary>Trace 4 of every 5.</summary>
    Test,
}

/// <summary>
/// Options of the task (the dataset). Every property marked with <see cref="OptionAttribute"/> becomes a command-line
/// option (<c>--traces</c>, <c>--stride</c>, ...), a key of the configuration's <c>tasks.sample-bw</c> section and an
/// entry of run directories' options.
/// </summary>
public sealed record ThroughputOptions
{
    /// <summary>Folder of trace files, or null for generated traces.</summary>
    [Option("folder of throughput traces ('<time_s> <Mbit/s>' per line, Pensieve format); default: generated traces")]
    public string? Traces { get; init; }

    /// <summary>Generated traces (when <see cref="Traces"/> is null).</summary>
    [Option("generated traces when no --traces folder is given", Minimum = 1, Maximum = 10000)]
    public int GeneratedTraces { get; init; } = 10;

    /// <summary>Samples per generated trace.</summary>
    [Option("one-second samples per generated trace", Minimum = ThroughputConstants.History + ThroughputConstants.Horizon, Maximum = 1000000)]
    public int GeneratedSamples { get; init; } = 60;

    /// <summary>Seed of the generated traces.</summary>
    [Option("seed of the generated traces", Minimum = 0, Maximum = int.MaxValue)]
    public int TraceSeed { get; init; } = 1;

    /// <summary>Samples between the starts of two windows of a trace.</summary>
    [Option("samples between two prediction windows of a trace", Minimum = 1, Maximum = 100000)]
    public int Stride { get; init; } = 4;

    /// <summary>The split <c>test</c> evaluates.</summary>
    [Option("the split test evaluates: train, valid or test")]
    public ThroughputSplit Split { get; init; } = ThroughputSplit.Test;
}

/// <summary>Options of the task's NetLLM model (recorded in run directories).</summary>
public sealed record ThroughputModelOptions
{
    /// <summary>Largest throughput the bounded head answers, Mbit/s (predictions lie in [0, this]).</summary>
    [Option("largest throughput the bounded head predicts (Mbit/s); histories are divided by it", Minimum = 1e-3, Maximum = 1e6)]
    public double MaxMbps { get; init; } = 10;
}
