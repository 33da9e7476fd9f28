using NetLlm.Baselines.Bba;
using NetLlm.Baselines.RobustMpc;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Qoe;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Tasks.AdaptiveBitrate.Synthetic;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

public sealed class SyntheticDataTests
{
    [Fact]
    public void Traces_AreDeterministicValidAndFollowTheModel()
    {
        var a = AbrSyntheticData.GenerateTraces(20, 7);
        var b = AbrSyntheticData.GenerateTraces(20, 7);
        var c = AbrSyntheticData.GenerateTraces(20, 8);
        Assert.Equal(a[5].Mbps.ToArray(), b[5].Mbps.ToArray());
        Assert.NotEqual(a[5].Mbps.ToArray(), c[5].Mbps.ToArray());
        var o = new SyntheticTraceOptions();
        foreach (var t in a)
        {
            Assert.Equal(321, t.Count);
            Assert.Null(BandwidthTrace.Validate(t.Times.ToArray(), t.Mbps.ToArray()));
            Assert.All(t.Mbps.ToArray(), v => Assert.InRange(v, o.MinMbps * (1 - o.Jitter) - 0.01, o.MaxMbps * (1 + o.Jitter) + 0.01));
        }

        var mean = a.Average(t => t.MeanMbps);
        Assert.InRange(mean, 2.4, 3.2);
    }

    [Fact]
    public void Video_IsMonotoneInLevel_AndNearTheLadder()
    {
        var v = AbrSyntheticData.GenerateVideo(3);
        int[] ladder = [300, 750, 1200, 1850, 2850, 4300];
        for (var q = 0; q < 6; q++)
        {
            Assert.InRange(v.MeanBitrateKbps(q) / ladder[q], 0.9, 1.1);
        }

        var heavy = AbrSyntheticData.GenerateVideo(3, new SyntheticVideoOptions { BitrateScale = 1.2 });
        Assert.InRange(heavy.MeanBitrateKbps(5) / v.MeanBitrateKbps(5), 1.15, 1.25);
        Assert.Throws<ArgumentException>(() => AbrSyntheticData.GenerateVideo(1, new SyntheticVideoOptions { ComplexitySpread = 1.5 }));
        Assert.Throws<ArgumentException>(() => AbrSyntheticData.GenerateTraces(1, 1, new SyntheticTraceOptions { MinMbps = 3, MaxMbps = 2 }));
    }

    [Fact]
    public void Scenario_RunsMpcBetterThanBbaOnAverageBandwidthWellAboveTheLadder()
    {
        var scenario = AbrSyntheticData.GenerateScenario(10, 11);
        using var env1 = new AbrEnvironment(scenario);
        using var env2 = new AbrEnvironment(scenario);
        var mpc = AbrTestData.Run(env1, new RobustMpcPolicy(), 10).Qoe;
        var bba = AbrTestData.Run(env2, new BbaPolicy(), 10).Qoe;
        Assert.Equal(470, mpc.Scored);
        Assert.True(mpc.MeanQoe > bba.MeanQoe, $"MPC {mpc.MeanQoe} vs BBA {bba.MeanQoe}");
    }

    [Fact]
    public void MpcErrorWeight_OneIsRobustMpc_SmallerIsBolder_LargerIsMoreCautious()
    {
        var scenario = AbrSyntheticData.GenerateScenario(10, 11);
        QoeAccumulator Run(RobustMpcPolicy policy)
        {
            using var env = new AbrEnvironment(scenario);
            return AbrTestData.Run(env, policy, 10).Qoe;
        }

        var robust = Run(new RobustMpcPolicy());
        Assert.Equal(robust.RewardSum, Run(new RobustMpcPolicy(errorWeight: 1)).RewardSum);

        // Plain MPC (no error discount) streams more bitrate and stalls; a doubled discount streams less (neither
        // RobustMPC nor it stalls on these 10 traces).
        var plain = Run(new RobustMpcPolicy(errorWeight: 0));
        var cautious = Run(new RobustMpcPolicy(errorWeight: 2));
        Assert.True(plain.MeanBitrateMbps > robust.MeanBitrateMbps && robust.MeanBitrateMbps > cautious.MeanBitrateMbps, $"bitrate {plain.MeanBitrateMbps} / {robust.MeanBitrateMbps} / {cautious.MeanBitrateMbps}");
        Assert.True(plain.MeanRebufferSeconds > robust.MeanRebufferSeconds && robust.MeanRebufferSeconds >= cautious.MeanRebufferSeconds, $"rebuffering {plain.MeanRebufferSeconds} / {robust.MeanRebufferSeconds} / {cautious.MeanRebufferSeconds}");
        Assert.Throws<ArgumentOutOfRangeException>(() => new RobustMpcPolicy(errorWeight: -0.5));
    }
}
