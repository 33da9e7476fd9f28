using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.Bba;
using NetLlm.Baselines.Oracle;
using NetLlm.Baselines.RobustMpc;
using NetLlm.Tasks.AdaptiveBitrate.Settings;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Testing;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

/// <summary>
/// <c>abr.oracle</c>, the offline plan with the future bandwidth known: above every causal policy on every trace, below
/// the proven optimum of the default setting, and refused where the future is not known (delay noise).
/// </summary>
public sealed class OracleTests
{
    [Fact]
    public void Fork_IsIndependentOfTheEnvironmentItCopies()
    {
        using var environment = new AbrEnvironment(AbrTestData.Scenario(TestPaths.FixtureData));
        environment.Reset(1);
        var fork = environment.Fork();
        var forked = fork.Step(5).Observation;
        var original = environment.Step(0).Observation;

        Assert.Equal(5, forked.Level);
        Assert.Equal(0, original.Level);
        Assert.NotEqual(forked.LastChunk.DelayMs, original.LastChunk.DelayMs);
        Assert.Equal(fork.Fork().Step(1).Reward, fork.Fork().Step(1).Reward);
    }

    [Fact]
    public void OnTheEightShippedTraces_TheOracleBeatsBbaAndMpcOnEveryTrace()
    {
        var scenario = AbrTestData.Scenario(TestPaths.FixtureData);
        double[] Qoe(IPolicy<AbrObservation, int> policy)
        {
            using (policy)
            using (var environment = new AbrEnvironment(scenario))
            {
                return AbrTestData.Run(environment, policy, scenario.TraceCount, recordChunks: false).Traces.Select(t => t.MeanQoe).ToArray();
            }
        }

        var oracle = Qoe(new OraclePolicy(scenario, 0.05));
        var mpc = Qoe(new RobustMpcPolicy(float32State: false));
        var bba = Qoe(new BbaPolicy());

        Assert.Equal(8, oracle.Length);
        Assert.All(Enumerable.Range(0, 8), i => Assert.True(oracle[i] > mpc[i] && oracle[i] > bba[i], $"trace {i}: oracle {oracle[i]}, mpc {mpc[i]}, bba {bba[i]}"));
        Assert.Equal(1.0576673836251242, oracle.Average(), 12);
    }

    [Fact]
    public void PlannedReward_IsWhatTheEnvironmentPays()
    {
        var scenario = AbrTestData.Scenario(TestPaths.FixtureData);
        using var oracle = new OraclePolicy(scenario, 0.25);
        using var environment = new AbrEnvironment(scenario);
        oracle.BeginEpisode();
        var observation = environment.Reset(1).Observation;
        var paid = 0.0;
        while (true)
        {
            var step = environment.Step(oracle.Act(observation));
            paid += step.Reward;
            observation = step.Observation;
            if (step.Done)
            {
                break;
            }
        }

        Assert.Equal(oracle.PlannedReward, paid, 9);
    }

    [Fact]
    public void ASettingWithDelayNoise_IsRefused()
    {
        var provider = new OraclePolicyProvider();
        var options = new AbrOptions
        {
            Traces = Path.Combine(TestPaths.FixtureData, "abr/traces/test/fcc-test"),
            Video = Path.Combine(TestPaths.FixtureData, "abr/videos/video1_sizes"),
            Deterministic = false,
        };

        var e = Assert.Throws<ArgumentException>(() => provider.Create(new PolicyContext(new TaskContext { Seed = 1 }, options), new OracleOptions()));
        Assert.Contains("deterministic", e.Message, StringComparison.Ordinal);
    }

    [DataFact("abr")]
    public void OnTheDefaultSetting_TheOracleIsWithinATenThousandthOfTheProvenOptimum()
    {
        var scenario = AbrTestData.DefaultScenario();
        using var oracle = new OraclePolicy(scenario, 0.05);
        using var environment = new AbrEnvironment(scenario);

        var qoe = AbrTestData.Run(environment, oracle, scenario.TraceCount, recordChunks: false).Qoe.MeanQoe;

        // ../shared/docs/reference-numbers.md: the optimum of fcc-test x video1 lies in [1.22291, 1.22294].
        Assert.InRange(qoe, 1.2227, 1.22294);
    }
}
