namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>One task execution, reported to <see cref="SparkSchedulingEnvironment.TaskObserver"/> when it starts.</summary>
/// <param name="Executor">Executor id.</param>
/// <param name="Job">Episode-wide job id.</param>
/// <param name="Stage">Stage index within the job.</param>
/// <param name="StartMs">Start time.</param>
/// <param name="EndMs">Completion time.</param>
public readonly record struct TaskRun(int Executor, int Job, int Stage, double StartMs, double EndMs);

/// <summary>A job of an episode and how it ended.</summary>
/// <param name="Id">Episode-wide job id (arrival order).</param>
/// <param name="Query">TPC-H query number.</param>
/// <param name="Size">TPC-H input size.</param>
/// <param name="ArrivalMs">Arrival time.</param>
/// <param name="CompletionMs">Completion time, or +∞ while incomplete.</param>
/// <param name="Tasks">Tasks of the job.</param>
/// <param name="CriticalPathMs">The job's critical path with unlimited executors (a lower bound of its duration).</param>
public readonly record struct JobOutcome(int Id, int Query, string Size, double ArrivalMs, double CompletionMs, int Tasks, double CriticalPathMs)
{
    /// <summary>True once the job completed.</summary>
    public bool Completed => double.IsFinite(CompletionMs);
}
