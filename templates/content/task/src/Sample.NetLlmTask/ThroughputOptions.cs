using NetLlm.Abstractions.Tasks;

namespace Sample.NetLlmTask;

/// <summary>
/// The task's own options (the shared adaptation options — backbone, rank, epochs, ... — are declared by NetLlm.Core
/// and added by the host). Read from the verb's arguments merged with the setting; errors name the option.
/// </summary>
public sealed record ThroughputOptions
{
    /// <summary>Past samples the predictor sees.</summary>
    public int History { get; init; } = 10;

    /// <summary>Future samples it predicts.</summary>
    public int Horizon { get; init; } = 1;

    /// <summary>Distance between the starts of training windows.</summary>
    public int Stride { get; init; } = 4;

    /// <summary>Training trace folder (relative to the data root), or null for synthetic traces.</summary>
    public string? TrainTraces { get; init; }

    /// <summary>Validation trace folder, or null for synthetic traces.</summary>
    public string? ValidTraces { get; init; }

    /// <summary>Test trace folder, or null for synthetic traces.</summary>
    public string? TestTraces { get; init; }

    /// <summary>Read at most this many files per folder (0: all).</summary>
    public int MaxTraces { get; init; }

    /// <summary>Synthetic traces per split.</summary>
    public int SyntheticTraces { get; init; } = 6;

    /// <summary>Samples per synthetic trace.</summary>
    public int SyntheticSamples { get; init; } = 300;

    /// <summary>Evaluate at most this many windows per test trace (0: all).</summary>
    public int TestWindows { get; init; }

    /// <summary>The option declarations (names without dashes) and the verbs they apply to.</summary>
    public static IReadOnlyList<TaskOptionSpec> Specs { get; } =
    [
        new("history", "Past throughput samples the predictor sees (default 10)", OptionKind.Integer, [TaskVerb.Test, TaskVerb.Adapt]),
        new("horizon", "Future throughput samples to predict (default 1)", OptionKind.Integer, [TaskVerb.Test, TaskVerb.Adapt]),
        new("stride", "Samples between the starts of training windows (default 4)", OptionKind.Integer, [TaskVerb.Adapt]),
        new("train-traces", "Training trace folder (Pensieve format, relative to the data root); synthetic traces when absent", OptionKind.Text, [TaskVerb.Adapt]),
        new("valid-traces", "Validation trace folder; synthetic traces when absent", OptionKind.Text, [TaskVerb.Adapt]),
        new("test-traces", "Test trace folder; synthetic traces when absent", OptionKind.Text, [TaskVerb.Test]),
        new("max-traces", "Read at most this many trace files per folder (default: all)", OptionKind.Integer, [TaskVerb.Test, TaskVerb.Adapt]),
        new("synthetic-traces", "Synthetic traces per split (default 6)", OptionKind.Integer, [TaskVerb.Test, TaskVerb.Adapt]),
        new("synthetic-samples", "Samples per synthetic trace (default 300)", OptionKind.Integer, [TaskVerb.Test, TaskVerb.Adapt]),
        new("test-windows", "Evaluate at most this many windows per test trace (default: all)", OptionKind.Integer, [TaskVerb.Test]),
    ];

    /// <summary>Parses the options; throws <see cref="ArgumentException"/> naming a bad one.</summary>
    /// <param name="arguments">Verb arguments (already merged with the setting).</param>
    public static ThroughputOptions Parse(TaskArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var options = new ThroughputOptions
        {
            History = arguments.Integer("history", 10),
            Horizon = arguments.Integer("horizon", 1),
            Stride = arguments.Integer("stride", 4),
            TrainTraces = arguments.Text("train-traces"),
            ValidTraces = arguments.Text("valid-traces"),
            TestTraces = arguments.Text("test-traces"),
            MaxTraces = arguments.Integer("max-traces", 0),
            SyntheticTraces = arguments.Integer("synthetic-traces", 6),
            SyntheticSamples = arguments.Integer("synthetic-samples", 300),
            TestWindows = arguments.Integer("test-windows", 0),
        };
        Require(options.History >= 2, $"option --history: {options.History} must be at least 2");
        Require(options.Horizon >= 1, $"option --horizon: {options.Horizon} must be at least 1");
        Require(options.Stride >= 1, $"option --stride: {options.Stride} must be at least 1");
        Require(options.MaxTraces >= 0, $"option --max-traces: {options.MaxTraces} must not be negative");
        Require(options.SyntheticTraces >= 1, $"option --synthetic-traces: {options.SyntheticTraces} must be at least 1");
        Require(options.SyntheticSamples >= 2, $"option --synthetic-samples: {options.SyntheticSamples} must be at least 2");
        Require(options.TestWindows >= 0, $"option --test-windows: {options.TestWindows} must not be negative");
        return options;
    }

    private static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw new ArgumentException(message);
        }
    }
}
