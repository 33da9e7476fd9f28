using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.Bba;
using NetLlm.Baselines.Pensieve;
using NetLlm.Baselines.RobustMpc;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Testing;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

public sealed class BaselineTests
{
    // The README's test vector (data/abr/models/README.md): columns oldest -> newest.
    private static readonly float[] TestState =
    [
        0.1744186f, 0.2790698f, 0.2790698f, 0.4302326f, 0.4302326f, 0.4302326f,
        0.4f, 0.7f, 0.9f, 1.1f, 1.2f, 1.25f,
        0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.0f,
        0.25f, 0.2f, 0.18f, 0.3f, 0.22f, 0.2f,
        0.181801f, 0.450283f, 0.668286f, 1.034108f, 1.728879f, 2.354772f,
        43 / 48f, 42 / 48f, 41 / 48f, 40 / 48f, 39 / 48f, 38 / 48f,
    ];

    [DataTheory("abr/models/udr_1", "abr/models/udr_2", "abr/models/udr_3", "abr/models/udr_real")]
    [InlineData("genet", 0.1009544f, 0.6980319f, 0.2010137f)]
    [InlineData("udr_1", 0.1763168f, 0.7329708f, 0.0907124f)]
    [InlineData("udr_2", 0.3587544f, 0.6117205f, 0.0295251f)]
    [InlineData("udr_3", 0.0150755f, 0.3223647f, 0.6625599f)]
    [InlineData("udr_real", 0.0017814f, 0.5916721f, 0.4065464f)]
    public void Actor_MatchesTheReadmeTestVector(string model, float down, float stay, float up)
    {
        var actor = PensieveActor.Load(AbrTestData.Data($"abr/models/{model}/actor.safetensors"));
        Span<float> p = stackalloc float[3];
        actor.Probabilities(AbrObservation.FromState(TestState), p);
        Assert.Equal(down, p[0], 5);
        Assert.Equal(stay, p[1], 5);
        Assert.Equal(up, p[2], 5);
    }

    [Fact]
    public void Genet_LogitsAndZeroState_MatchTheReadme()
    {
        var actor = PensieveActor.Load(AbrTestData.Data("abr/models/genet/actor.safetensors"));
        Span<float> z = stackalloc float[3];
        actor.Logits(AbrObservation.FromState(TestState), z);
        Assert.Equal(-3.9064562f, z[0], 5);
        Assert.Equal(-1.9728601f, z[1], 5);
        Assert.Equal(-3.2177517f, z[2], 5);
        actor.Probabilities(AbrObservation.FromState(new float[36]), z);
        Assert.Equal(0.0110313f, z[0], 5);
        Assert.Equal(0.1266213f, z[1], 5);
        Assert.Equal(0.8623474f, z[2], 5);
    }

    [Fact]
    public void Actor_WrongShapeOrMissingFile_NamesTheFile()
    {
        Assert.Throws<FileNotFoundException>(() => PensieveActor.Load("/nonexistent/actor.safetensors"));
        var provider = new GenetPolicyProvider();
        var e = Assert.Throws<ArgumentException>(() => provider.Create(new PolicyContext(new TaskContext { Seed = 1 }, null), new PensieveOptions()));
        Assert.Contains("abr/models/genet/actor.safetensors", e.Message, StringComparison.Ordinal);
        var root = Directory.CreateTempSubdirectory("netllm-abr-actor-").FullName;
        try
        {
            var missing = Assert.Throws<FileNotFoundException>(() => provider.Create(new PolicyContext(new TaskContext { Seed = 1, DataRoot = root }, null), new PensieveOptions { Actor = "no/such/actor.safetensors" }));
            Assert.Contains("--actor", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        var noRoot = Assert.Throws<ArgumentException>(() => provider.Create(new PolicyContext(new TaskContext { Seed = 1 }, null), new PensieveOptions { Actor = "no/such/actor.safetensors" }));
        Assert.Contains("--actor", noRoot.Message, StringComparison.Ordinal);
        Assert.Contains("data root", noRoot.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(4.999, 0)]
    [InlineData(5.0, 0)]
    [InlineData(7.0, 1)]
    [InlineData(10.0, 2)]
    [InlineData(14.99, 4)]
    [InlineData(15.0, 5)]
    [InlineData(60.0, 5)]
    public void Bba_ReservoirAndCushion(double buffer, int level)
    {
        Assert.Equal(level, BbaPolicy.Choose(buffer));
    }

    [Fact]
    public void MpcComboTable_IsTheFilteredProductInLexicographicOrder()
    {
        var all = Enumerable.Range(0, 7776).Select(n => new[] { n / 1296 % 6, n / 216 % 6, n / 36 % 6, n / 6 % 6, n % 6 }).ToList();
        for (var level = 0; level < 6; level++)
        {
            var expected = all.Where(c =>
            {
                var prev = level;
                foreach (var q in c)
                {
                    if (Math.Abs(q - prev) > 1)
                    {
                        return false;
                    }

                    prev = q;
                }

                return true;
            }).ToList();
            var combos = MpcComboTable.Instance.Combos(level);
            Assert.Equal(expected.Count, combos.Count);
            for (var i = 0; i < combos.Count; i++)
            {
                Assert.Equal(expected[i], combos[i]);
            }
        }

        Assert.Equal(209, MpcComboTable.Instance.Combos(2).Count);
        Assert.Equal(96, MpcComboTable.Instance.Combos(0).Count);
    }

    [Fact]
    public void Mpc_KeepsItsErrorHistoryAcrossVideos()
    {
        using var env = AbrTestData.DefaultEnvironment();
        var mpc = new RobustMpcPolicy();
        AbrTestData.Run(env, mpc, 2);
        Assert.Equal(96, mpc.ErrorCount);
        var stateOnly = AbrObservation.FromState(TestState);
        Assert.Throws<InvalidOperationException>(() => mpc.Act(stateOnly));
    }

    [Fact]
    public void Pensieve_ActionToLevel_ClipsAtTheLadderEnds()
    {
        Assert.Equal(0, PensievePolicy.ToLevel(0, 0));
        Assert.Equal(2, PensievePolicy.ToLevel(0, 3));
        Assert.Equal(3, PensievePolicy.ToLevel(1, 3));
        Assert.Equal(4, PensievePolicy.ToLevel(2, 3));
        Assert.Equal(5, PensievePolicy.ToLevel(2, 5));
    }
}
