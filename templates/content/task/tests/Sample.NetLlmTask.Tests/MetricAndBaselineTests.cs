using Sample.NetLlmTask.Evaluation;
using Sample.NetLlmTask.Policies;

namespace Sample.NetLlmTask.Tests;

public sealed class MetricAndBaselineTests
{
    [Fact]
    public void Metric_AveragesOverEveryPredictedValue()
    {
        var metric = new ThroughputMetric();

        metric.Add([1f, 2f], [2f, 2f]);
        metric.EndTrace();
        metric.Add([3f], [1f]);
        metric.EndTrace();

        Assert.Equal(1.0, metric.Mae, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), metric.Rmse, 12);
        Assert.Equal(3, metric.Values);
        Assert.Equal([0.5, 2.0], metric.PerTrace);
    }

    [Fact]
    public void Metric_RejectsPredictionsOfTheWrongLength()
    {
        var error = Assert.Throws<ArgumentException>(() => new ThroughputMetric().Add([1f], [1f, 2f]));

        Assert.Contains("1 values but the truth has 2", error.Message);
    }

    [Fact]
    public void LastValue_RepeatsTheLastSampleOverTheHorizon()
    {
        using var policy = new LastValuePolicy(horizon: 3);

        Assert.Equal([2.5f, 2.5f, 2.5f], policy.Act([1f, 4f, 2.5f]));
    }

    [Fact]
    public void HarmonicMean_AveragesTheLastFiveSamples()
    {
        using var policy = new HarmonicMeanPolicy(horizon: 1);

        var prediction = policy.Act([100f, 2f, 4f, 4f, 4f, 4f]);

        Assert.Equal(5.0 / ((1 / 2.0) + (4 / 4.0)), prediction[0], 5);
    }

    [Fact]
    public void HarmonicMean_IsZeroWhenTheLinkStalled()
    {
        using var policy = new HarmonicMeanPolicy(horizon: 2);

        Assert.Equal([0f, 0f], policy.Act([3f, 0f, 3f]));
    }
}
