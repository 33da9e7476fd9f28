namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>
/// Parameters of the Spark scheduling simulator (the original's environment settings).
/// </summary>
/// <param name="Jobs">Jobs arriving in an episode (the original's <c>job_arrival_cap</c>).</param>
/// <param name="Executors">Executors in the cluster.</param>
/// <param name="ArrivalRatePerMs">Poisson arrival rate of jobs per millisecond (mean gap 1/rate).</param>
/// <param name="MovingDelayMs">Time an executor needs to move between jobs.</param>
/// <param name="WarmupDelayMs">Extra time of an executor's first task after idling when no fresh-executor duration exists.</param>
public sealed record SparkSimulatorOptions(
    int Jobs = 200,
    int Executors = 50,
    double ArrivalRatePerMs = 4e-5,
    double MovingDelayMs = 2000,
    double WarmupDelayMs = 1000)
{
    /// <summary>The paper's default setting: 200 jobs, 50 executors, 4e-5 jobs per ms, 2000 ms moving, 1000 ms warm-up.</summary>
    public static SparkSimulatorOptions Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Executors < 1)
        {
            throw new ArgumentException($"executors must be at least 1, got {Executors}");
        }

        if (Jobs < 1)
        {
            throw new ArgumentException($"jobs must be at least 1, got {Jobs}");
        }

        if (!(ArrivalRatePerMs > 0) || !double.IsFinite(ArrivalRatePerMs))
        {
            throw new ArgumentException($"arrival-rate must be a positive number of jobs per ms, got {ArrivalRatePerMs}");
        }

        if (!(MovingDelayMs >= 0) || !double.IsFinite(MovingDelayMs))
        {
            throw new ArgumentException($"moving-delay must be a non-negative number of ms, got {MovingDelayMs}");
        }

        if (!(WarmupDelayMs >= 0) || !double.IsFinite(WarmupDelayMs))
        {
            throw new ArgumentException($"warmup-delay must be a non-negative number of ms, got {WarmupDelayMs}");
        }
    }
}
