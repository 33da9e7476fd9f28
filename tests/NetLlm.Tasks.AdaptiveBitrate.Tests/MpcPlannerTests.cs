using NetLlm.Baselines.RobustMpc;
using NetLlm.Tasks.AdaptiveBitrate.Synthetic;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

public sealed class MpcPlannerTests
{
    [Fact]
    public void BranchAndBound_ChoosesWhatTheOriginalsExhaustiveScanChooses()
    {
        var planner = new MpcPlanner();
        var random = new Random(12345);
        var videos = new[] { AbrTestData.Video1, AbrSyntheticData.GenerateVideo(5) };
        var decisions = new int[6];
        for (var i = 0; i < 20000; i++)
        {
            var video = videos[i % 2];
            var lastIndex = random.Next(0, 49);
            var horizon = Math.Min(5, 48 - lastIndex);
            // Forecasts from starved to ample; buffers from empty to full (many exact ties when nothing stalls).
            var forecast = Math.Exp((random.NextDouble() * 5) - 3);
            var buffer = random.Next(4) == 0 ? 60.0 : random.NextDouble() * 60;
            var level = random.Next(6);
            var expected = MpcPlanner.ChooseExhaustive(video, lastIndex, horizon, forecast, buffer, level);
            Assert.Equal(expected, planner.Choose(video, lastIndex, horizon, forecast, buffer, level));
            decisions[expected]++;
        }

        Assert.All(decisions, n => Assert.True(n > 100, "every level should be chosen in some cases"));
    }

    [Fact]
    public void EmptyHorizon_ReturnsZeroAsTheOriginal()
    {
        Assert.Equal(0, new MpcPlanner().Choose(AbrTestData.Video1, 48, 0, 1.0, 30, 4));
        Assert.Equal(0, MpcPlanner.ChooseExhaustive(AbrTestData.Video1, 48, 0, 1.0, 30, 4));
    }
}
