namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>
/// The event timeline: a min-heap ordered by time, then by insertion (the original's heap tie-breaker, a counter).
/// A 4-ary heap of plain structs with the comparison written out: an episode pushes and pops a few hundred thousand
/// events, and <see cref="PriorityQueue{TElement, TPriority}"/> with a struct priority spent most of the simulator's
/// time in its comparer calls.
/// </summary>
internal sealed class SimTimeline
{
    private Entry[] _heap = new Entry[64];
    private int _count;
    private long _sequence;

    public int Count => _count;

    public void Clear()
    {
        _count = 0;
        _sequence = 0;
    }

    public void Push(double time, SimEvent e)
    {
        if (_count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        var entry = new Entry(time, _sequence++, e);
        var i = _count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 2;
            if (!Before(entry, _heap[parent]))
            {
                break;
            }

            _heap[i] = _heap[parent];
            i = parent;
        }

        _heap[i] = entry;
    }

    public bool TryPeekTime(out double time)
    {
        if (_count > 0)
        {
            time = _heap[0].Time;
            return true;
        }

        time = 0;
        return false;
    }

    public SimEvent Pop(out double time)
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("the event timeline is empty");
        }

        var top = _heap[0];
        time = top.Time;
        var last = _heap[--_count];
        if (_count > 0)
        {
            SiftDown(last);
        }

        return top.Event;
    }

    private void SiftDown(Entry entry)
    {
        var heap = _heap;
        var n = _count;
        var i = 0;
        while (true)
        {
            var first = (i << 2) + 1;
            if (first >= n)
            {
                break;
            }

            var best = first;
            var end = Math.Min(first + 4, n);
            for (var c = first + 1; c < end; c++)
            {
                if (Before(heap[c], heap[best]))
                {
                    best = c;
                }
            }

            if (!Before(heap[best], entry))
            {
                break;
            }

            heap[i] = heap[best];
            i = best;
        }

        heap[i] = entry;
    }

    private static bool Before(in Entry a, in Entry b) => a.Time < b.Time || (a.Time == b.Time && a.Sequence < b.Sequence);

    private readonly record struct Entry(double Time, long Sequence, SimEvent Event);
}
