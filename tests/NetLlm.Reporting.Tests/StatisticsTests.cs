using NetLlm.Reporting.Statistics;

namespace NetLlm.Reporting.Tests;

public sealed class StatisticsTests
{
    [Fact]
    public void MeanAndSampleStd_MatchHandComputedValues()
    {
        double[] values = [2, 4, 4, 4, 5, 5, 7, 9];

        Assert.Equal(5.0, Descriptive.Mean(values), 12);
        Assert.Equal(Math.Sqrt(32.0 / 7.0), Descriptive.SampleStd(values), 12);
        Assert.Equal(0.0, Descriptive.SampleStd([3.5]));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(25, 1.75)]
    [InlineData(50, 2.5)]
    [InlineData(75, 3.25)]
    [InlineData(100, 4.0)]
    public void Percentile_InterpolatesLinearlyLikeNumpy(double q, double expected)
    {
        Assert.Equal(expected, Descriptive.Percentile([1, 2, 3, 4], q), 12);
    }

    [Fact]
    public void EmptyValuesAndBadPercentiles_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => Descriptive.Mean([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Descriptive.Percentile([1, 2], 101));
        Assert.Throws<ArgumentOutOfRangeException>(() => Descriptive.Percentile([1, 2], double.NaN));
        Assert.Null(DistributionStatistics.Of([]));
    }

    [Fact]
    public void DistributionStatistics_TukeyWhiskersStopAtTheLastValueWithin1Point5Iqr()
    {
        // Quartiles 2.5 and 7.5 (IQR 5, reach 7.5): 100 lies beyond 15 (an outlier), -2 is within -5.
        var d = DistributionStatistics.Of([-2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100])!;

        Assert.Equal(11, d.Count);
        Assert.Equal(2.5, d.P25, 12);
        Assert.Equal(5.0, d.Median, 12);
        Assert.Equal(7.5, d.P75, 12);
        Assert.Equal(-2.0, d.WhiskerLow);
        Assert.Equal(9.0, d.WhiskerHigh);
        Assert.Equal(-2.0, d.Min);
        Assert.Equal(100.0, d.Max);
        Assert.Equal(143.0 / 11.0, d.Mean, 12);
    }

    [Fact]
    public void Summary_HigherIsBetter_PicksTheLargestMeanAndMeasuresImprovementOverTheOthers()
    {
        var summary = new EvaluationSummary(SampleResults.TwoByTwo(SampleResults.Qoe));

        Assert.Equal("b", summary.Best["s1"]);
        Assert.Equal("a", summary.Best["s2"]);
        var s1 = summary.Cell("a", "s1");
        Assert.Equal(2.0, s1.Mean, 12);
        Assert.Equal(Math.Sqrt(2.0), s1.Std, 12);
        Assert.Equal(1.0, s1.Min);
        Assert.Equal(3.0, s1.Max);
        Assert.Equal(6, s1.Items!.Count);
        Assert.Equal(3.0, s1.Components["bitrate"], 12);

        Assert.Collection(
            summary.Improvements,
            i =>
            {
                Assert.Equal(("s1", "b", "a"), (i.Setting, i.Best, i.Other));
                Assert.Equal(100.0, i.Percent!.Value, 9); // (4 - 2) / 2
            },
            i =>
            {
                Assert.Equal(("s2", "a", "b"), (i.Setting, i.Best, i.Other));
                Assert.Equal(100.0 * 4.0 / 6.0, i.Percent!.Value, 9); // (10 - 6) / 6
            });
        Assert.Equal(6.0, summary.MeanOverSettings["a"], 12);
        Assert.Equal(5.0, summary.MeanOverSettings["b"], 12);
    }

    [Fact]
    public void Summary_LowerIsBetter_PicksTheSmallestMeanAndReportsTheReduction()
    {
        var summary = new EvaluationSummary(SampleResults.TwoByTwo(SampleResults.Jct));

        Assert.Equal("a", summary.Best["s1"]);
        Assert.Equal("b", summary.Best["s2"]);
        Assert.Equal(50.0, summary.Improvements[0].Percent!.Value, 9); // (4 - 2) / 4
        Assert.Equal(40.0, summary.Improvements[1].Percent!.Value, 9); // (10 - 6) / 10
    }

    [Fact]
    public void Improvement_OverAZeroMean_IsUndefined_AndNegativeMeansUseTheMagnitude()
    {
        Assert.Null(PolicyImprovement.Of("s", "a", "b", 1, 0, true).Percent);
        Assert.Equal(150.0, PolicyImprovement.Of("s", "a", "b", 0.5, -1, true).Percent!.Value, 12);
    }

    [Fact]
    public void Summary_Ties_GoToThePolicyListedFirst()
    {
        var runs = new[] { SampleResults.Run("x", "s", 1, 2), SampleResults.Run("y", "s", 1, 2) };
        var summary = new EvaluationSummary(new Results.EvaluationResults("toy", "Toy", SampleResults.Qoe, ["y", "x"], ["s"], [1], runs));

        Assert.Equal("y", summary.Best["s"]);
        Assert.Equal(0.0, summary.Improvements.Single().Percent!.Value);
    }
}
