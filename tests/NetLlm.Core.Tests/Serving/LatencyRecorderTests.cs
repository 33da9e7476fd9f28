using NetLlm.Core.Serving;

namespace NetLlm.Core.Tests.Serving;

public sealed class LatencyRecorderTests
{
    [Fact]
    public void Percentiles_AreNearestRank_OverTheKeptSamples()
    {
        var recorder = new LatencyRecorder(capacity: 100);
        Assert.Equal(new LatencySummary(0, 0, 0, 0, 0), recorder.Summary());
        foreach (var ms in Enumerable.Range(1, 100).Reverse())
        {
            recorder.Add(ms);
        }

        Assert.Equal(new LatencySummary(100, 50, 90, 99, 100), recorder.Summary());

        // The ring keeps the last 100: adding 1000 ten times replaces the ten oldest (100 down to 91).
        for (var i = 0; i < 10; i++)
        {
            recorder.Add(1000);
        }

        var after = recorder.Summary();
        Assert.Equal(100, after.Count);
        Assert.Equal(50, after.P50);
        Assert.Equal(90, after.P90);
        Assert.Equal(1000, after.P99);
        Assert.Equal(1000, after.Max);
    }

    [Theory]
    [InlineData(new[] { 7.0 }, 0.99, 7.0)]
    [InlineData(new[] { 1.0, 2.0 }, 0.5, 1.0)]
    [InlineData(new[] { 1.0, 2.0 }, 0.51, 2.0)]
    [InlineData(new[] { 1.0, 2.0, 3.0, 4.0 }, 0.0, 1.0)]
    public void Rank_IsTheSmallestValueWithAtLeastPOfTheSamplesAtOrBelowIt(double[] sorted, double p, double expected)
    {
        Assert.Equal(expected, LatencyRecorder.Rank(sorted, p));
    }
}
