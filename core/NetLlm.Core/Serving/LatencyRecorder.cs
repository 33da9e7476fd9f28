namespace NetLlm.Core.Serving;

/// <summary>
/// The most recent decision times (a ring of <see cref="Capacity"/> samples) and their percentiles (nearest rank).
/// Thread-safe.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly double[] _ring;
    private readonly Lock _gate = new();
    private long _count;

    /// <summary>Creates the recorder.</summary>
    /// <param name="capacity">Samples kept.</param>
    public LatencyRecorder(int capacity = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new double[capacity];
    }

    /// <summary>Samples kept at most.</summary>
    public int Capacity => _ring.Length;

    /// <summary>Records one sample.</summary>
    /// <param name="milliseconds">The decision time.</param>
    public void Add(double milliseconds)
    {
        lock (_gate)
        {
            _ring[_count % _ring.Length] = milliseconds;
            _count++;
        }
    }

    /// <summary>Percentiles of the kept samples.</summary>
    public LatencySummary Summary()
    {
        double[] samples;
        lock (_gate)
        {
            samples = _ring.AsSpan(0, (int)Math.Min(_count, _ring.Length)).ToArray();
        }

        if (samples.Length == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }

        Array.Sort(samples);
        return new LatencySummary(samples.Length, Rank(samples, 0.50), Rank(samples, 0.90), Rank(samples, 0.99), samples[^1]);
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    /// <param name="sorted">Samples in ascending order (at least one).</param>
    /// <param name="p">Fraction 0..1.</param>
    public static double Rank(double[] sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
