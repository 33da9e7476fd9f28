using NetLlm.Tasks.ViewportPrediction.Metrics;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Metrics;

public sealed class ViewportMetricsTests
{
    [Theory]
    [InlineData(179f, -179f, 2f)]
    [InlineData(-179f, 179f, 2f)]
    [InlineData(10f, 30f, 20f)]
    [InlineData(0f, 180f, 180f)]
    [InlineData(350f, -5f, 5f)]
    [InlineData(80f, -80f, 160f)]
    public void AngularError_WrapsAt360(float predicted, float truth, float expected) =>
        Assert.Equal(expected, AngularError.Of(predicted, truth), 4);

    [Fact]
    public void Mae_IsTheMeanOverSamplesStepsAndAxes_WithBreakdowns()
    {
        var metrics = new ViewportMetrics();
        // sample 1 (video 4, viewer 1): errors roll 1, 2; pitch 0, 4; yaw 2 (wrapped 179 vs -179), 6.
        var mae1 = metrics.Add(4, 1, [1f, 0f, 179f, 2f, 4f, 6f], [0f, 0f, -179f, 0f, 0f, 0f]);
        // sample 2 (video 8, viewer 1): every error 3.
        var mae2 = metrics.Add(8, 1, [3f, 3f, 3f, 3f, 3f, 3f], [0f, 0f, 0f, 0f, 0f, 0f]);
        Assert.Equal(15.0 / 6, mae1, 10);
        Assert.Equal(3.0, mae2, 10);
        Assert.Equal(33.0 / 12, metrics.Mae, 10);
        Assert.Equal(new[] { 9.0 / 4, 10.0 / 4, 14.0 / 4 }, metrics.AxisMae.Select(v => Math.Round(v, 10)));
        Assert.Equal(new[] { 12.0 / 6, 21.0 / 6 }, metrics.StepMae.Select(v => Math.Round(v, 10)));
        Assert.Equal(new[] { mae1, mae2 }, metrics.PerSample);
        Assert.Equal(Math.Sqrt((1 + 0 + 4 + 4 + 16 + 36 + (6 * 9)) / 12.0), metrics.Rmse, 10);
        Assert.Equal(Math.Sqrt((1 + 0 + (358.0 * 358) + 4 + 16 + 36 + (6 * 9)) / 12.0), metrics.RmseUnwrapped, 10);

        var json = metrics.ToJson();
        Assert.Equal(2, (int)json["n_samples"]!);
        Assert.Equal(33.0 / 12, (double)json["mae_deg"]!, 10);
        Assert.Equal(14.0 / 4, (double)json["per_axis_mae_deg"]!["yaw"]!, 10);
        var videos = json["per_video"]!.AsArray();
        Assert.Equal(2, videos.Count);
        Assert.Equal(4, (int)videos[0]!["video"]!);
        Assert.Equal(15.0 / 6, (double)videos[0]!["mae_deg"]!, 10);
        var viewers = json["per_viewer"]!.AsArray();
        Assert.Single(viewers);
        Assert.Equal(2, (int)viewers[0]!["n_samples"]!);
        Assert.Equal(2, json["per_video_viewer"]!.AsArray().Count);
    }

    [Fact]
    public void MismatchedOrNonFinitePredictions_AreRejected()
    {
        var metrics = new ViewportMetrics();
        Assert.Contains("prediction has 3 values, ground truth 6", Assert.Throws<ArgumentException>(() => metrics.Add(1, 2, [0f, 0f, 0f], [0f, 0f, 0f, 0f, 0f, 0f])).Message);
        Assert.Contains("step 1, axis 1", Assert.Throws<ArgumentException>(() => metrics.Add(1, 2, [0f, float.NaN, 0f], [0f, 0f, 0f])).Message);
        Assert.Equal(0, metrics.Samples);
        Assert.True(double.IsNaN(metrics.Mae));
    }
}
