namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>Kinds of heap events (job arrivals are kept in a separate, already sorted list).</summary>
internal enum SimEventKind : byte
{
    TaskCompletion,
    ExecutorArrival,
}

/// <summary>A heap event: a task completing on an executor, or an executor reaching a stage.</summary>
/// <param name="Kind">Event kind.</param>
/// <param name="Stage">Global stage index.</param>
/// <param name="Executor">Executor id.</param>
internal readonly record struct SimEvent(SimEventKind Kind, int Stage, int Executor);
