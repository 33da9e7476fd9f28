using System.Globalization;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.JobScheduling.Simulation;

namespace NetLlm.Tasks.JobScheduling.Definition;

/// <summary>The CJS settings of the paper and the option names that describe a cluster and workload.</summary>
public static class CjsSettings
{
    /// <summary>Option: jobs per episode.</summary>
    public const string Jobs = "jobs";

    /// <summary>Option: executors in the cluster.</summary>
    public const string Executors = "executors";

    /// <summary>Option: job arrival rate per ms.</summary>
    public const string ArrivalRate = "arrival-rate";

    /// <summary>Option: moving delay in ms.</summary>
    public const string MovingDelay = "moving-delay";

    /// <summary>Option: warm-up delay in ms.</summary>
    public const string WarmupDelay = "warmup-delay";

    /// <summary>Option: decode neural policies greedily instead of sampling.</summary>
    public const string Argmax = "argmax";

    /// <summary>Option: episodes to run (seeds <c>seed</c>, <c>seed+1</c>, ...).</summary>
    public const string Episodes = "episodes";

    /// <summary>Option: timed repetitions per policy in the benchmark.</summary>
    public const string BenchRepeats = "bench-repeats";

    /// <summary>The default setting's name.</summary>
    public const string DefaultName = "default";

    /// <summary>The default and the paper's unseen settings (more jobs and/or fewer executors).</summary>
    public static IReadOnlyList<TaskSetting> All { get; } =
    [
        Make(DefaultName, "paper default: 200 jobs, 50 executors", 200, 50),
        Make("unseen-1", "unseen: 200 jobs, 30 executors", 200, 30),
        Make("unseen-2", "unseen: 450 jobs, 50 executors", 450, 50),
        Make("unseen-3", "unseen: 450 jobs, 30 executors", 450, 30),
    ];

    /// <summary>The default setting.</summary>
    public static TaskSetting Default => All[0];

    /// <summary>
    /// Simulator options from task arguments, the default setting filling what was not given. Throws
    /// <see cref="ArgumentException"/> naming a bad option.
    /// </summary>
    /// <param name="arguments">Task arguments.</param>
    public static SparkSimulatorOptions ToOptions(TaskArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var args = arguments.WithDefaults(Default.Values);
        var options = new SparkSimulatorOptions(
            args.Integer(Jobs, 200),
            args.Integer(Executors, 50),
            args.Real(ArrivalRate, 4e-5),
            args.Real(MovingDelay, 2000),
            args.Real(WarmupDelay, 1000));
        options.Validate();
        return options;
    }

    /// <summary>The name to report: the given setting, "default" when nothing was given, else "custom".</summary>
    /// <param name="setting">The request's setting name.</param>
    /// <param name="arguments">Task arguments.</param>
    public static string Describe(string? setting, TaskArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (setting is not null)
        {
            return setting;
        }

        var options = ToOptions(arguments);
        return All.FirstOrDefault(s => ToOptions(new TaskArguments(s.Values)) == options)?.Name ?? "custom";
    }

    private static TaskSetting Make(string name, string description, int jobs, int executors) =>
        new(name, description, new Dictionary<string, string>
        {
            [Jobs] = jobs.ToString(CultureInfo.InvariantCulture),
            [Executors] = executors.ToString(CultureInfo.InvariantCulture),
            [ArrivalRate] = "4e-5",
            [MovingDelay] = "2000",
            [WarmupDelay] = "1000",
        });
}
