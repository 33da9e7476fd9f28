using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.Bba;
using NetLlm.Baselines.Pensieve;
using NetLlm.Baselines.RobustMpc;
using NetLlm.Tasks.AdaptiveBitrate.Results;
using NetLlm.Tasks.AdaptiveBitrate.Scoring;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Testing;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

/// <summary>
/// BBA, RobustMPC and GENET (sampled, seed 100003) on the default test setting against the original's per-chunk
/// results (shared/fixtures/abr-upstream for all 100 traces, tests/fixtures/abr-upstream for the first 8): every
/// column of every chunk, relative 1e-9, and the mean QoE.
/// </summary>
public sealed class UpstreamReproductionTests
{
    [DataFact("abr", SharedFixtures = ["abr-upstream/bba/" + AbrTestData.LastResultFile])]
    public void Bba_MatchesUpstreamChunkByChunk()
    {
        var run = RunDefault(new BbaPolicy());
        AssertMatchesFixture(run, "bba");
        Assert.Equal(0.76415, run.Qoe.MeanQoe, 5);
        Assert.Equal(4700, run.Qoe.Scored);
    }

    [DataFact("abr", SharedFixtures = ["abr-upstream/mpc/" + AbrTestData.LastResultFile])]
    public void RobustMpc_MatchesUpstreamChunkByChunk()
    {
        var run = RunDefault(new RobustMpcPolicy());
        AssertMatchesFixture(run, "mpc");
        Assert.Equal(0.84845, run.Qoe.MeanQoe, 5);
    }

    [DataFact("abr", SharedFixtures = ["abr-upstream/genet-seed100003/" + AbrTestData.LastResultFile])]
    public void Genet_SampledAtSeed100003_MatchesUpstreamChunkByChunk()
    {
        var provider = new GenetPolicyProvider();
        using var policy = provider.Create(Context(100003), new PensieveOptions());
        var run = RunDefault(policy);
        AssertMatchesFixture(run, "genet-seed100003");
        Assert.Equal(0.848, run.Qoe.MeanQoe, 3);
    }

    [DataFact("abr")]
    public void Genet_Argmax_GivesReferenceQoe()
    {
        var provider = new GenetPolicyProvider();
        using var policy = provider.Create(Context(100003), new PensieveOptions { Argmax = true });
        var run = RunDefault(policy);
        Assert.Equal(0.82749, run.Qoe.MeanQoe, 5);
    }

    /// <summary>
    /// The same chunk-by-chunk comparison on the 8 traces shipped in tests/fixtures (data/abr and abr-upstream), which
    /// runs without the data root: the first 8 fcc-test traces in the original's order, so GENET's sampling stream and
    /// MPC's error history match the original's first 8 traces.
    /// </summary>
    [Theory]
    [InlineData("bba")]
    [InlineData("mpc")]
    [InlineData("genet-seed100003")]
    public void FixtureTraces_MatchUpstreamChunkByChunk(string folder)
    {
        var root = TestPaths.FixtureData;
        using var policy = folder switch
        {
            "bba" => (IPolicy<AbrObservation, int>)new BbaPolicy(),
            "mpc" => new RobustMpcPolicy(),
            _ => new GenetPolicyProvider().Create(new PolicyContext(new TaskContext { Seed = 100003, DataRoot = root }, null), new PensieveOptions()),
        };
        using var env = new AbrEnvironment(AbrTestData.Scenario(root));
        var run = AbrTestData.Run(env, policy, env.TraceCount);
        AssertMatchesFixture(run, TestPaths.Fixture($"abr-upstream/{folder}"), 8);
    }

    private static PolicyContext Context(int seed) => new(new TaskContext { Seed = seed, DataRoot = AbrTestData.Root }, null);

    private static AbrRunScorer RunDefault(IPolicy<AbrObservation, int> policy)
    {
        using var env = AbrTestData.DefaultEnvironment();
        return AbrTestData.Run(env, policy, env.TraceCount);
    }

    private static void AssertMatchesFixture(AbrRunScorer run, string folder) => AssertMatchesFixture(run, AbrTestData.Fixture(folder), 100);

    private static void AssertMatchesFixture(AbrRunScorer run, string dir, int traces)
    {
        Assert.Equal(traces, run.Traces.Count);
        var mismatches = new List<string>();
        foreach (var trace in run.Traces)
        {
            var expected = AbrTestData.ReadResultFile(Path.Combine(dir, AbrResultsWriter.FilePrefix + trace.Name));
            Assert.Equal(expected.Count, trace.Chunks.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                var c = trace.Chunks[i];
                double[] actual = [c.ClockMs / 1000.0, c.BitrateKbps, c.BufferSeconds, c.RebufferSeconds, c.ChunkBytes, c.DelayMs, c.SmoothnessMbps, c.Reward];
                for (var col = 0; col < 8; col++)
                {
                    var e = expected[i][col];
                    var tolerance = 1e-9 * Math.Max(Math.Abs(e), 1e-12);
                    if (Math.Abs(actual[col] - e) > tolerance && mismatches.Count < 20)
                    {
                        mismatches.Add($"{trace.Name} chunk {i} column {col}: expected {e:R}, got {actual[col]:R}");
                    }
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }
}
