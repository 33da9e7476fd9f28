namespace NetLlm.Tasks.JobScheduling.Data;

/// <summary>
/// Recorded task durations of one stage for one "wave" (first wave, rest wave or fresh executors), keyed by the
/// number of executors the job had when they were measured (2, 5, 10, 20, 40, 50, 60, 80, 100 in TPC-H).
/// Immutable; lists are shared, never copied per job.
/// </summary>
public sealed class DurationTable
{
    private readonly int[] _keys;
    private readonly double[][] _lists;

    /// <summary>Creates a table; <paramref name="keys"/> and <paramref name="lists"/> are parallel.</summary>
    /// <param name="keys">Executor-count keys, in the order of the source document.</param>
    /// <param name="lists">Durations in milliseconds for each key (may be empty).</param>
    public DurationTable(int[] keys, double[][] lists)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(lists);
        if (keys.Length != lists.Length)
        {
            throw new ArgumentException($"{keys.Length} keys but {lists.Length} duration lists");
        }

        _keys = keys;
        _lists = lists;
        MaxKey = keys.Length == 0 ? 0 : keys.Max();
    }

    /// <summary>The keys in document order.</summary>
    public IReadOnlyList<int> Keys => _keys;

    /// <summary>The largest key (0 when empty).</summary>
    public int MaxKey { get; }

    /// <summary>True when <paramref name="key"/> is present (even with an empty list).</summary>
    /// <param name="key">Executor-count key.</param>
    public bool HasKey(int key) => Array.IndexOf(_keys, key) >= 0;

    /// <summary>The durations recorded for <paramref name="key"/>, or an empty list when absent.</summary>
    /// <param name="key">Executor-count key.</param>
    public IReadOnlyList<double> Get(int key)
    {
        var i = Array.IndexOf(_keys, key);
        return i < 0 ? [] : _lists[i];
    }

    /// <summary>The non-empty duration list for <paramref name="key"/>; false when absent or empty.</summary>
    /// <param name="key">Executor-count key.</param>
    /// <param name="durations">The list (shared; do not modify).</param>
    public bool TryGetNonEmpty(int key, out double[] durations)
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] == key)
            {
                durations = _lists[i];
                return durations.Length > 0;
            }
        }

        durations = [];
        return false;
    }

    /// <summary>Every duration of every key, in key order (lists repeated as stored).</summary>
    public IEnumerable<double> All() => _lists.SelectMany(l => l);
}
