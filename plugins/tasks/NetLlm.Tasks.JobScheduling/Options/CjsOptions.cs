using NetLlm.Abstractions.Options;

namespace NetLlm.Tasks.JobScheduling.Options;

/// <summary>
/// The options of task <c>cjs</c>: the cluster and workload of the simulator (the paper's default setting in the
/// initialisers), the episodes a run takes and the benchmark's repetitions.
/// </summary>
public sealed record CjsOptions
{
    private const VerbScope Running = VerbScope.Collect | VerbScope.Test | VerbScope.Bench;

    /// <summary>Jobs arriving per episode (the original's <c>job_arrival_cap</c>).</summary>
    [Option("jobs arriving per episode", Minimum = 1, Maximum = 1_000_000)]
    public int Jobs { get; init; } = 200;

    /// <summary>Executors in the cluster.</summary>
    [Option("executors in the cluster", Minimum = 1, Maximum = 100_000)]
    public int Executors { get; init; } = 50;

    /// <summary>Poisson job arrival rate per ms (mean gap 1 / rate).</summary>
    [Option("Poisson job arrival rate per ms", Minimum = 1e-12, Maximum = 1e3)]
    public double ArrivalRate { get; init; } = 4e-5;

    /// <summary>Time an executor needs to move between jobs, ms.</summary>
    [Option("time for an executor to move between jobs, ms", Minimum = 0, Maximum = 1e9)]
    public double MovingDelay { get; init; } = 2000;

    /// <summary>Extra time of a fresh executor's first task, ms.</summary>
    [Option("extra time of a fresh executor's first task, ms", Minimum = 0, Maximum = 1e9)]
    public double WarmupDelay { get; init; } = 1000;

    /// <summary>Episodes a run takes (per policy when collecting); the environment is seeded once, at the first.</summary>
    [Option("episodes per run (per policy for collect); the simulator is seeded with --seed at the first and continues its stream", Minimum = 1, Maximum = 100_000, Verbs = Running)]
    public int Episodes { get; init; } = 1;

    /// <summary>Timed episodes per scheduler in the benchmark.</summary>
    [Option("timed episodes per scheduler in the benchmark, after a warm-up of at least 2 s", Minimum = 1, Maximum = 10_000, Verbs = VerbScope.Bench)]
    public int BenchRepeats { get; init; } = 5;
}
