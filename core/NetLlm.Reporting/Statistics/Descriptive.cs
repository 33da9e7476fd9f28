namespace NetLlm.Reporting.Statistics;

/// <summary>Descriptive statistics used by the reports (all in double precision, inputs unchanged).</summary>
public static class Descriptive
{
    /// <summary>Arithmetic mean; throws for an empty list.</summary>
    /// <param name="values">Values.</param>
    public static double Mean(IReadOnlyList<double> values)
    {
        RequireValues(values);
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Count;
    }

    /// <summary>Sample standard deviation (divisor n − 1); 0 for fewer than two values.</summary>
    /// <param name="values">Values.</param>
    public static double SampleStd(IReadOnlyList<double> values)
    {
        RequireValues(values);
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = Mean(values);
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += (v - mean) * (v - mean);
        }

        return Math.Sqrt(sum / (values.Count - 1));
    }

    /// <summary>
    /// Percentile <paramref name="q"/> (0..100) of already sorted values with linear interpolation between the two
    /// nearest ranks (numpy's default <c>linear</c> method).
    /// </summary>
    /// <param name="sorted">Values in ascending order.</param>
    /// <param name="q">Percentile in 0..100.</param>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        RequireValues(sorted);
        if (!(q >= 0 && q <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "percentile must be in 0..100");
        }

        var rank = q / 100.0 * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        var fraction = rank - lower;
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * fraction);
    }

    /// <summary>A sorted copy.</summary>
    /// <param name="values">Values.</param>
    public static double[] Sorted(IEnumerable<double> values)
    {
        var copy = values.ToArray();
        Array.Sort(copy);
        return copy;
    }

    private static void RequireValues(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("no values", nameof(values));
        }
    }
}
