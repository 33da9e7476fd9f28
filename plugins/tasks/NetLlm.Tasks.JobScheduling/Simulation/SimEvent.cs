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
