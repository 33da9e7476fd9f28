using NetLlm.Baselines.Bba;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Testing;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

public sealed class AbrEnvironmentTests
{
    private static BandwidthTrace Constant(double mbps, int samples = 400, string name = "flat") =>
        new(name, "test", Enumerable.Range(0, samples).Select(i => (double)i).ToList(), Enumerable.Repeat(mbps, samples).ToList());

    private static AbrEnvironment ConstantEnvironment(double mbps, int samples = 400) =>
        new(new AbrScenario("flat", [Constant(mbps, samples)], AbrTestData.Video1, null, deterministic: true));

    /// <summary>Traces of 1e-300 Mbit/s or 1e-12 s steps used to hang the simulator past any timeout (issue 15).</summary>
    [Theory]
    [InlineData(1e-300, 1.0, "would take 5.056E+298 passes")]
    [InlineData(1e-5, 1.0, "would take 5056 passes")]
    [InlineData(1.0, 1e-12, "a 4 s buffer drain 1.003E+10")]
    public void Scenario_TraceOnWhichAnEpisodeCannotFinish_IsRefusedNamingIt(double mbps, double step, string expected)
    {
        var trace = new BandwidthTrace("slow", "test", Enumerable.Range(0, 400).Select(i => i * step).ToList(), Enumerable.Repeat(mbps, 400).ToList());
        var e = Assert.Throws<InvalidDataException>(() => new AbrScenario("s", [Constant(3.0), trace], AbrTestData.Video1, null, deterministic: true));
        Assert.StartsWith("scenario s: trace test_slow delivers ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("(limit 1000): an episode could not finish", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_DownloadsChunkZeroAtQualityZero_FromAZeroState()
    {
        using var env = AbrTestData.DefaultEnvironment();
        var obs = env.Reset().Observation;
        var c = obs.LastChunk;
        Assert.Equal(0, c.Level);
        Assert.Equal(181801, c.ChunkBytes);
        Assert.Equal(4.0, c.BufferSeconds);
        Assert.Equal(c.DelayMs / 1000.0, c.RebufferSeconds, 12);
        Assert.Equal(0.0, c.SmoothnessMbps);
        Assert.Equal(0.3 - (4.3 * c.RebufferSeconds), c.Reward, 12);
        Assert.Equal(47, obs.ChunksRemaining);
        Assert.False(obs.EndOfVideo);

        // Only the newest column is filled (row 4 holds all six next-chunk sizes).
        Assert.Equal(300.0 / 4300.0, obs[0, 5]);
        Assert.Equal(0.4, obs[1, 5]);
        Assert.Equal(181801 / c.DelayMs / 1000.0, obs[2, 5]);
        Assert.Equal(c.DelayMs / 1000.0 / 10.0, obs[3, 5]);
        Assert.Equal(AbrTestData.Video1.ChunkBytes(3, 1) / 1e6, obs[4, 3], 15);
        Assert.Equal(47.0 / 48.0, obs[5, 5]);
        for (var col = 0; col < 5; col++)
        {
            Assert.Equal(0.0, obs[0, col]);
            Assert.Equal(0.0, obs[2, col]);
            Assert.Equal(0.0, obs[5, col]);
        }
    }

    [Fact]
    public void ConstantBandwidth_DelayIsSizeOverPayloadRatePlusRtt()
    {
        using var env = ConstantEnvironment(2.0);
        var c = env.Reset().Observation.LastChunk;
        var expectedMs = (181801 / (2.0 * 1e6 / 8 * 0.95) * 1000) + 80;
        Assert.Equal(expectedMs, c.DelayMs, 9);
    }

    [Fact]
    public void Episode_Has47Steps_ThenRequiresReset()
    {
        using var env = AbrTestData.DefaultEnvironment();
        env.Reset();
        var steps = 0;
        StepResultSummary last = default;
        while (true)
        {
            var s = env.Step(1);
            steps++;
            last = new(s.Observation.ChunksRemaining, s.Terminated, s.Truncated, s.Observation.EndOfVideo);
            if (s.Done)
            {
                break;
            }
        }

        Assert.Equal(47, steps);
        Assert.Equal(new StepResultSummary(0, true, false, true), last);
        Assert.Throws<InvalidOperationException>(() => env.Step(0));
        Assert.Throws<ArgumentException>(() => { env.Reset(); env.Step(6); });
        Assert.Equal(1, env.CurrentPosition);
    }

    [Fact]
    public void LongSleeps_KeepTheBufferAtOrBelowTheCap_AndWrapAroundShortTraces()
    {
        using var env = ConstantEnvironment(50.0, samples: 5);
        var obs = env.Reset().Observation;
        var slept = false;
        for (var i = 0; i < 47; i++)
        {
            var s = env.Step(0);
            Assert.InRange(s.Observation.BufferSeconds, 0, 60.0);
            slept |= s.Observation.LastChunk.SleepMs > 0;
            obs = s.Observation;
        }

        Assert.True(slept);
        Assert.True(obs.EndOfVideo);
        Assert.InRange(obs.BufferSeconds, 56.0, 60.0);
    }

    [Fact]
    public void Reward_IsBitrateMinusRebufferMinusSmoothness()
    {
        using var env = AbrTestData.DefaultEnvironment();
        var obs = env.Reset().Observation;
        var previous = obs.Level;
        var levels = new[] { 5, 0, 3, 3, 1 };
        foreach (var level in levels)
        {
            var s = env.Step(level);
            var c = s.Observation.LastChunk;
            var expected = (c.BitrateKbps / 1000.0) - (4.3 * c.RebufferSeconds) - (Math.Abs(c.BitrateKbps - AbrConstants.BitratesKbps[previous]) / 1000.0);
            Assert.Equal(expected, s.Reward);
            Assert.Equal(c.Reward, s.Reward);
            previous = level;
        }
    }

    [Fact]
    public void DeterministicRuns_AreIdentical_NoisyRunsDifferButRepeatWithTheSameSeed()
    {
        double[] Delays(bool deterministic, int? seed)
        {
            using var env = new AbrEnvironment(new AbrScenario("t", AbrTestData.FccTest, AbrTestData.Video1, AbrTestData.FccTestStartPointers, deterministic));
            var list = new List<double> { env.Reset(seed).Observation.LastChunk.DelayMs };
            for (var i = 0; i < 10; i++)
            {
                list.Add(env.Step(2).Observation.LastChunk.DelayMs);
            }

            return [.. list];
        }

        Assert.Equal(Delays(true, null), Delays(true, null));
        Assert.Equal(Delays(false, 5), Delays(false, 5));
        Assert.NotEqual(Delays(false, 5), Delays(false, 6));
        var ratio = Delays(false, 5)[0] / Delays(true, null)[0];
        Assert.NotEqual(1.0, ratio);
    }

    [DataFact("abr")]
    public void TrainScenario_ShufflesTracesAndDrawsStartPointers()
    {
        var traces = AbrTestData.FccTest;
        using var env = new AbrEnvironment(new AbrScenario("t", traces, AbrTestData.Video1, null, deterministic: false, traceCount: 40));
        Assert.Equal(40, env.TraceCount);
        Assert.Equal(40, env.TraceOrder.Distinct().Count());
        Assert.NotEqual(Enumerable.Range(0, 40), env.TraceOrder);
        for (var i = 0; i < env.TraceCount; i++)
        {
            Assert.InRange(env.StartPointers[i], 1, traces[env.TraceOrder[i]].Count - 1);
        }

        using var again = new AbrEnvironment(new AbrScenario("t", traces, AbrTestData.Video1, null, deterministic: false, traceCount: 40));
        Assert.Equal(env.TraceOrder, again.TraceOrder);
        Assert.Equal(env.StartPointers, again.StartPointers);
    }

    [DataFact("abr")]
    public void DeterministicWithoutPointers_StartsEveryTraceAtItsBeginning()
    {
        using var env = new AbrEnvironment(new AbrScenario("t", AbrTestData.FccTest, AbrTestData.Video1, null, deterministic: true));
        Assert.All(env.StartPointers, p => Assert.Equal(1, p));
        Assert.Equal(Enumerable.Range(0, 100), env.TraceOrder);
    }

    [Fact]
    public void Steps_AllocateNothing()
    {
        using var env = AbrTestData.DefaultEnvironment();
        var policy = new BbaPolicy();
        int RunEpisodes(int count)
        {
            var steps = 0;
            for (var episode = 0; episode < count; episode++)
            {
                var obs = env.Reset().Observation;
                while (!obs.EndOfVideo)
                {
                    obs = env.Step(policy.Act(obs)).Observation;
                    steps++;
                }
            }

            return steps;
        }

        RunEpisodes(30);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var steps = RunEpisodes(200);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // One object per step would be at least 24 B x 9,400 steps; allow a little one-time runtime (tiering) noise.
        Assert.Equal(200 * 47, steps);
        Assert.InRange(allocated, 0, 2048);
    }

    private readonly record struct StepResultSummary(int Remaining, bool Terminated, bool Truncated, bool EndOfVideo);
}
