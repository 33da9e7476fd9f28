using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Evaluation;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Metrics;

public sealed class ViewportScoringTests
{
    private static readonly ScoringContext Context = new("vp.test", "default", 1, null);

    private static ViewportSample Sample(int video, int viewer, float[] future) => new("t", video, viewer, 30, [0f, 0f, 0f, 0f, 0f, 0f], future);

    [Fact]
    public void Score_GivesTheMaeItemsPerSampleComponentsPerAxisAndTheBreakdowns()
    {
        // sample 1: errors roll 1, 2; pitch 0, 4; yaw 2 (wrapped 179 vs -179), 6. sample 2: every error 3.
        ViewportSample[] samples = [Sample(4, 1, [0f, 0f, -179f, 0f, 0f, 0f]), Sample(8, 1, [0f, 0f, 0f, 0f, 0f, 0f])];
        VpPrediction[] predictions = [new([1f, 0f, 179f, 2f, 4f, 6f]), new([3f, 3f, 3f, 3f, 3f, 3f])];
        var score = ViewportScoring.Score(samples, predictions, Context);
        Assert.Equal(33.0 / 12, score.Metric, 12);
        Assert.Equal([("t video 4 viewer 1 t=30", 15.0 / 6), ("t video 8 viewer 1 t=30", 3.0)], score.Items.Select(i => (i.Name, Math.Round(i.Value, 12))));
        Assert.Equal(["roll", "pitch", "yaw"], score.Components.Keys);
        Assert.Equal([9.0 / 4, 10.0 / 4, 14.0 / 4], score.Components.Values.Select(v => Math.Round(v, 12)));
        Assert.Equal((2, 2), ((int)score.Details!["n_samples"]!, score.Details["per_video"]!.AsArray().Count));
        Assert.Contains("RMSE", Assert.Single(score.Notes));
    }

    [Fact]
    public void WrongRowsOrNonFiniteValues_NameThePolicyAndTheSample()
    {
        ViewportSample[] samples = [Sample(4, 1, [0f, 0f, 0f, 0f, 0f, 0f])];
        var rows = Assert.Throws<InvalidOperationException>(() => ViewportScoring.Score(samples, [new VpPrediction([0f, 0f, 0f])], Context));
        Assert.Contains("policy vp.test predicted 1 rows for t video 4 viewer 1 t=30, expected 2", rows.Message);
        var nan = Assert.Throws<InvalidOperationException>(() => ViewportScoring.Score(samples, [new VpPrediction([0f, float.NaN, 0f, 0f, 0f, 0f])], Context));
        Assert.Contains("not finite", nan.Message);
        Assert.Contains("1 samples", Assert.Throws<InvalidOperationException>(() => ViewportScoring.Score(samples, [], Context)).Message);
    }
}
