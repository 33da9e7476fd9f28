namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>Kinds of timeline events.</summary>
internal enum SimEventKind : byte
{
    JobArrival,
    TaskCompletion,
    ExecutorArrival,
}

/// <summary>A timeline event: a job arriving, a task completing on an executor, an executor reaching a stage.</summary>
/// <param name="Kind">Event kind.</param>
/// <param name="Job">Job id (job arrival).</param>
/// <param name="Stage">Global stage index (task completion, executor arrival).</param>
/// <param name="Executor">Executor id (task completion, executor arrival).</param>
internal readonly record struct SimEvent(SimEventKind Kind, int Job, int Stage, int Executor);

/// <summary>Event order: by time, then by insertion (the original's heap tie-breaker).</summary>
/// <param name="Time">Wall time in ms.</param>
/// <param name="Sequence">Insertion counter.</param>
internal readonly record struct SimEventKey(double Time, long Sequence) : IComparable<SimEventKey>
{
    public int CompareTo(SimEventKey other)
    {
        var c = Time.CompareTo(other.Time);
        return c != 0 ? c : Sequence.CompareTo(other.Sequence);
    }
}

/// <summary>The event timeline: a priority queue ordered by (time, insertion).</summary>
internal sealed class SimTimeline
{
    private readonly PriorityQueue<SimEvent, SimEventKey> _queue = new();
    private long _sequence;

    public int Count => _queue.Count;

    public void Clear()
    {
        _queue.Clear();
        _sequence = 0;
    }

    public void Push(double time, SimEvent e) => _queue.Enqueue(e, new SimEventKey(time, _sequence++));

    public bool TryPeekTime(out double time)
    {
        if (_queue.TryPeek(out _, out var key))
        {
            time = key.Time;
            return true;
        }

        time = 0;
        return false;
    }

    public SimEvent Pop(out double time)
    {
        _queue.TryDequeue(out var e, out var key);
        time = key.Time;
        return e;
    }
}
