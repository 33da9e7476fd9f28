namespace NetLlm.Tasks.JobScheduling.Data;

/// <summary>
/// One stage of a TPC-H query: its task count and the duration tables task durations are sampled from.
/// <see cref="FirstWave"/> is the cleaned first wave of the original (fresh-executor durations removed, empty
/// levels filled from the next lower level), exactly as spark-sched-sim preprocesses it.
/// </summary>
/// <param name="NumTasks">Tasks of the stage: first-wave plus rest-wave durations at the first recorded key.</param>
/// <param name="FirstWave">Cleaned first-wave durations.</param>
/// <param name="RestWave">Durations of later tasks on an executor already working on the stage.</param>
/// <param name="Fresh">Durations of the first task of an executor that was idle or moving.</param>
/// <param name="RoughDurationMs">Mean of all durations after cleaning: the initial "most recent duration".</param>
/// <param name="MinDurationMs">Smallest duration in any table (lower bound of any task of this stage).</param>
public sealed record StageProfile(
    int NumTasks,
    DurationTable FirstWave,
    DurationTable RestWave,
    DurationTable Fresh,
    double RoughDurationMs,
    double MinDurationMs);
