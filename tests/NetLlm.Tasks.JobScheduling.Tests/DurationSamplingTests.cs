using NetLlm.Tasks.JobScheduling.Data;
using NetLlm.Tasks.JobScheduling.Simulation;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>Task duration sampling: the original's level interpolation, waves and warm-up.</summary>
public sealed class DurationSamplingTests
{
    // Every level holds one distinctive duration: 1000 + level (first wave), 2000 + level (rest), 3000 + level (fresh).
    private static readonly int[] Levels = [5, 10, 20, 40, 50, 60, 80, 100];

    private static StageProfile Profile(bool fresh = true, int[]? levels = null)
    {
        levels ??= Levels;
        DurationTable Table(int offset, bool present) => new(levels, levels.Select(l => present ? new double[] { offset + l } : []).ToArray());
        return new StageProfile(10, Table(1000, true), Table(2000, true), Table(3000, fresh), 1, 1);
    }

    private static TpchQuery Query(StageProfile stage) =>
        new("test", 1, "2g", DagStructure.FromAdjacency(new double[,] { { 0 } }, "test"), [stage]);

    private static Dictionary<double, int> Histogram(int executors, int local, bool idle, bool same, StageProfile stage, int draws = 20000)
    {
        var sampler = new TaskDurationSampler(executors, 1000);
        var random = new SimRandom(5);
        var query = Query(stage);
        var counts = new Dictionary<double, int>();
        for (var i = 0; i < draws; i++)
        {
            var d = sampler.Sample(random, stage, idle, same, local, query, 0);
            counts[d] = counts.GetValueOrDefault(d) + 1;
        }

        return counts;
    }

    [Theory]
    [InlineData(1, 1005)]
    [InlineData(5, 1005)]
    [InlineData(20, 1020)]
    [InlineData(50, 1050)]
    public void AtOrBelowALevel_TheLevelIsUsed(int local, double expected)
    {
        var h = Histogram(50, local, idle: false, same: false, Profile(), draws: 200);

        Assert.Equal(expected, Assert.Single(h).Key);
    }

    [Fact]
    public void BetweenLevels_TheLowerLevelIsDrawnWithTheOriginalsProbability()
    {
        // 7 local executors lie between levels 5 and 10: the original draws 5 when 1 + int(u * 5) <= 2, i.e. 2 / 5.
        var h = Histogram(50, 7, idle: false, same: false, Profile());

        Assert.Equal(2, h.Count);
        Assert.InRange(h[1005] / 20000.0, 0.38, 0.42);
        Assert.InRange(h[1010] / 20000.0, 0.58, 0.62);
    }

    [Fact]
    public void WithThirtyExecutors_CountsAboveTwentyStillInterpolateToForty()
    {
        var h = Histogram(30, 30, idle: false, same: false, Profile());

        // Between 20 and 40: P(20) = 10 / 20.
        Assert.InRange(h[1020] / 20000.0, 0.48, 0.52);
        Assert.InRange(h[1040] / 20000.0, 0.48, 0.52);
    }

    [Fact]
    public void Waves_FollowTheExecutorsHistory()
    {
        Assert.Equal(3005, Assert.Single(Histogram(50, 5, idle: true, same: false, Profile(), 100)).Key);
        Assert.Equal(2005, Assert.Single(Histogram(50, 5, idle: false, same: true, Profile(), 100)).Key);
        Assert.Equal(1005, Assert.Single(Histogram(50, 5, idle: false, same: false, Profile(), 100)).Key);
    }

    [Fact]
    public void IdleExecutorWithoutFreshDurations_PaysTheWarmupDelay()
    {
        Assert.Equal(1005 + 1000, Assert.Single(Histogram(50, 5, idle: true, same: false, Profile(fresh: false), 100)).Key);
    }

    [Fact]
    public void LevelMissingFromTheFirstWave_FallsBackToTheLargestLevel()
    {
        var h = Histogram(50, 20, idle: false, same: false, Profile(levels: [2, 5, 10]), 100);

        Assert.Equal(1010, Assert.Single(h).Key);
    }
}
