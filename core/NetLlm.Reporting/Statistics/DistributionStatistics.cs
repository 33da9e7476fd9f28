namespace NetLlm.Reporting.Statistics;

/// <summary>Five-number summary plus mean and spread of a per-item distribution.</summary>
/// <param name="Count">Number of items.</param>
/// <param name="Mean">Mean.</param>
/// <param name="Std">Sample standard deviation.</param>
/// <param name="Min">Minimum.</param>
/// <param name="P25">First quartile.</param>
/// <param name="Median">Median.</param>
/// <param name="P75">Third quartile.</param>
/// <param name="Max">Maximum.</param>
/// <param name="WhiskerLow">Lowest value within 1.5 IQR below the first quartile (Tukey's lower whisker).</param>
/// <param name="WhiskerHigh">Highest value within 1.5 IQR above the third quartile (Tukey's upper whisker).</param>
public sealed record DistributionStatistics(
    int Count,
    double Mean,
    double Std,
    double Min,
    double P25,
    double Median,
    double P75,
    double Max,
    double WhiskerLow,
    double WhiskerHigh)
{
    /// <summary>Summarises <paramref name="values"/>; null when there are none.</summary>
    /// <param name="values">Values (any order).</param>
    public static DistributionStatistics? Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = Descriptive.Sorted(values);
        if (sorted.Length == 0)
        {
            return null;
        }

        var p25 = Descriptive.Percentile(sorted, 25);
        var p75 = Descriptive.Percentile(sorted, 75);
        var reach = 1.5 * (p75 - p25);
        return new DistributionStatistics(
            sorted.Length,
            Descriptive.Mean(sorted),
            Descriptive.SampleStd(sorted),
            sorted[0],
            p25,
            Descriptive.Percentile(sorted, 50),
            p75,
            sorted[^1],
            sorted.First(v => v >= p25 - reach),
            sorted.Last(v => v <= p75 + reach));
    }
}
