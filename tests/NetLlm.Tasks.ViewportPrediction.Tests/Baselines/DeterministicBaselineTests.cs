using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.LinearRegression;
using NetLlm.Baselines.Persistence;
using NetLlm.Baselines.Velocity;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Evaluation;
using NetLlm.Tasks.ViewportPrediction.Policies;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using NetLlm.Testing;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Baselines;

public sealed class DeterministicBaselineTests
{
    [Fact]
    public void LeastSquaresFit_MatchesHandComputedLine()
    {
        // y = [0, 0, 1] at x = 0, 1, 2: mean x 1, mean y 1/3, Sxy 1, Sxx 2 -> slope 1/2, intercept -1/6.
        var (slope, intercept) = LinearRegressionPredictor.Fit([0, 0, 1]);
        Assert.Equal(0.5, slope, 12);
        Assert.Equal(-1.0 / 6, intercept, 12);
    }

    [Fact]
    public void RollOut_RefitsOnHistoryAndPredictions()
    {
        // step 1: line through (0,0),(1,0),(2,1) at x=3: -1/6 + 3/2 = 4/3.
        // step 2: refit on [0, 0, 1, 4/3]: mean x 1.5, mean y 7/12, Sxy 2.5, Sxx 5 -> slope 1/2, intercept -1/6; at x=4: 11/6.
        var series = new double[5];
        series[2] = 1;
        var predicted = LinearRegressionPredictor.RollOut(series, known: 3, steps: 2);
        Assert.Equal(4.0 / 3, predicted[0], 12);
        Assert.Equal(11.0 / 6, predicted[1], 12);
        Assert.Equal(4.0 / 3, series[3], 12);
    }

    [Fact]
    public void LinearRegression_WorksOnNormalisedAxesAndDenormalises()
    {
        // yaw 0, 0, 180 deg -> normalised 0, 0, 1 -> 4/3, 11/6 -> 240, 330 deg (no wrapping of predictions, as the original).
        // pitch 0, 9, 18 deg -> 0, 0.1, 0.2 -> 0.3, 0.4 -> 27, 36 deg. roll constant 45.
        var history = new VpHistory("t", 1, 1, 30, [45f, 0f, 0f, 45f, 9f, 0f, 45f, 18f, 180f], 2);
        using var lr = new LinearRegressionPredictor();
        var p = lr.Act(history).Angles;
        Assert.Equal(new[] { 45f, 27f, 240f, 45f, 36f, 330f }.Select(v => Math.Round(v, 3)), p.Select(v => Math.Round((double)v, 3)));
    }

    [Fact]
    public void Velocity_ExtrapolatesFirstToLastSlope()
    {
        // roll 10, 20, 40 -> v = (40 - 10) / 2 = 15 per row -> 55, 70, 85; pitch 0, 0, -6 -> -3 per row -> -9, -12, -15.
        var history = new VpHistory("t", 1, 1, 30, [10f, 0f, 100f, 20f, 0f, 100f, 40f, -6f, 100f], 3);
        using var velocity = new VelocityPredictor();
        var p = velocity.Act(history).Angles;
        Assert.Equal(new[] { 55.0, -9, 100, 70, -12, 100, 85, -15, 100 }, p.Select(v => Math.Round((double)v, 3)));
    }

    [Fact]
    public void Hold_RepeatsTheLastRow()
    {
        var history = new VpHistory("t", 1, 1, 30, [10f, 0f, 100f, 20f, 5f, -170f], 3);
        using var hold = new HoldPredictor();
        Assert.Equal(new[] { 20f, 5f, -170f, 20f, 5f, -170f, 20f, 5f, -170f }, hold.Act(history).Angles);
    }

    /// <summary>
    /// MAE on the paper's settings against an independent double-precision reimplementation of the original's
    /// algorithms (Reference/vp_baselines_reference.py run on the data root): default LR 19.473607, velocity
    /// 17.499853, hold 9.763364; unseen-1 (future 25) 22.722620 / 20.767562 / 10.650420; unseen-2 (Wu2017)
    /// 20.522853 / 18.708027 / 11.121726; unseen-3 24.176541 / 22.338963 / 12.542243.
    /// </summary>
    [DataTheory("vp")]
    [InlineData("Jin2022", 20, 1698, 19.473607, 17.499853, 9.763364)]
    [InlineData("Jin2022", 25, 1698, 22.722620, 20.767562, 10.650420)]
    [InlineData("Wu2017", 20, 1395, 20.522853, 18.708027, 11.121726)]
    [InlineData("Wu2017", 25, 1395, 24.176541, 22.338963, 12.542243)]
    public void Mae_MatchesTheReferenceOnEverySetting(string dataset, int future, int samples, double lrMae, double velocityMae, double holdMae)
    {
        var data = VpData.Load(ViewportDatasetCatalog.Get(dataset), ViewportSplit.Test, new ViewportWindow(10, future));
        Assert.Equal(samples, data.Samples.Count);
        using var lr = new LinearRegressionPredictor();
        using var velocity = new VelocityPredictor();
        using var hold = new HoldPredictor();
        Assert.Equal(lrMae, Mae(lr, data.Samples), 3);
        Assert.Equal(velocityMae, Mae(velocity, data.Samples), 3);
        Assert.Equal(holdMae, Mae(hold, data.Samples), 3);
    }

    [Fact]
    public void Providers_AreTypedWithoutOptions_AndActOnTheTasksTypes()
    {
        IPolicyProvider[] providers = [new LinearRegressionProvider(), new VelocityProvider(), new HoldProvider()];
        Assert.Equal(["vp.lr", "vp.velocity", "vp.hold"], providers.Select(p => p.Id));
        Assert.All(providers, p => Assert.Equal(("vp", typeof(VpHistory), typeof(VpPrediction), typeof(NoOptions)), (p.TaskId, p.ObservationType, p.ActionType, p.OptionsType)));
        Assert.All(providers, p => Assert.Empty(p.RequiredData));
        var context = new PolicyContext(new TaskContext { Seed = 1 }, null);
        Assert.All(providers, p =>
        {
            using var policy = (IPolicy<VpHistory, VpPrediction>)p.Create(context, NoOptions.Instance);
            Assert.Equal(p.Id, policy.Id);
        });
    }

    private static double Mae(IPolicy<VpHistory, VpPrediction> policy, IReadOnlyList<ViewportSample> samples) =>
        ViewportScoring.Score(samples, samples.Select(s => policy.Act(VpHistory.From(s))).ToList(), new ScoringContext(policy.Id, "test", 1, null)).Metric;
}
