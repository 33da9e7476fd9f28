using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Models;
using NetLlm.Core.Heads;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Spaces;
using NetLlm.Encoders.Standard;
using NetLlm.Testing;
using NetLlm.Testing.Conformance;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Testing.Tests;

/// <summary>The conformance kit passes conforming plugins and catches broken ones.</summary>
public sealed class ConformanceKitTests
{
    [Fact]
    public void StandardEncoders_PassTheTokenShapeCheck()
    {
        using var series = new SeriesCnnEncoder(24, length: 6, channels: 8, kernel: 4);
        using var x = randn(3, 1, 6);
        ModuleChecks.EncoderTokenShapes(series, x, 3);
        using var scalar = new ScalarMlpEncoder(24, features: 2, hidden: 8);
        using var s = randn(5, 2);
        ModuleChecks.EncoderTokenShapes(scalar, s, 5);
    }

    [Fact]
    public void EncoderWithWrongWidth_Fails()
    {
        var broken = new WrongWidthEncoder();
        using var x = randn(2, 4);
        var e = Assert.Throws<ConformanceException>(() => ModuleChecks.EncoderTokenShapes(broken, x, 2));
        Assert.Contains("expected [2, tokens, 16]", e.Message);
    }

    [Fact]
    public void StandardEncodersPlugin_HasAValidManifest()
    {
        var m = ManifestChecks.HasValidManifest(typeof(SeriesCnnEncoder).Assembly, ["task.abr"]);
        Assert.Equal("encoders.standard", m.Id);
        Assert.Throws<ConformanceException>(() => ManifestChecks.HasValidManifest(typeof(SeriesCnnEncoder).Assembly, ["encoders.standard"]));
    }

    [Fact]
    public void DeterministicEnvironment_Passes_AndASeedIgnoringOneFails()
    {
        EnvironmentChecks.ResetSeedDeterminism(() => new CounterEnvironment(honourSeed: true), o => o % 2, (a, b) => a == b);
        Assert.Equal(10, EnvironmentChecks.SpacesHonoured(new CounterEnvironment(honourSeed: true)));
        var e = Assert.Throws<ConformanceException>(() => EnvironmentChecks.ResetSeedDeterminism(() => new CounterEnvironment(honourSeed: false), o => o % 2, (a, b) => a == b));
        Assert.Contains("counter/Test-v0", e.Message);
    }

    [Fact]
    public void PolicyWithInvalidActions_Fails()
    {
        using var env = new CounterEnvironment(true);
        Assert.Equal(20, PolicyChecks.ValidActions(new FixedPolicy(1), env, episodes: 2));
        var e = Assert.Throws<ConformanceException>(() => PolicyChecks.ValidActions(new FixedPolicy(7), env));
        Assert.Contains("fixed chose an invalid action at episode 0 step 0", e.Message);
    }

    [Fact]
    public void MaskedHead_ScoresInvalidChoicesBelowValidOnes_AndAnUnmaskedHeadFails()
    {
        using var head = new LinearHead(8, 4, HeadKind.Categorical);
        using var features = randn(6, 8);
        using var mask = ones(6, 4, dtype: ScalarType.Bool);
        mask[.., 3] = tensor(false);
        ModuleChecks.HeadRespectsMask(head, features, mask);
        var e = Assert.Throws<ConformanceException>(() => ModuleChecks.HeadRespectsMask(new IgnoresMask(8, 4), features, mask));
        Assert.Contains("invalid choice", e.Message);
    }

    [Fact]
    public void GoldenFile_ReportsTheFirstDifferingLine()
    {
        var path = Path.Combine(Path.GetTempPath(), "netllm-golden-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(path, "a\nb\nc\n");
        try
        {
            Assert.Null(GoldenFile.Compare(path, "a\r\nb\r\nc\r\n"));
            Assert.Equal($"{path} line 2: expected 'b' but got 'x'", GoldenFile.Compare(path, "a\nx\nc\n"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class WrongWidthEncoder : nn.Module<Tensor, Tensor>, NetLlm.Abstractions.Encoders.IModalityEncoder<Tensor>
    {
        private readonly TorchSharp.Modules.Linear _proj = nn.Linear(4, 8);

        public WrongWidthEncoder()
            : base("wrong")
        {
            RegisterComponents();
        }

        public string Modality => "scalar";

        public int EmbeddingDim => 16;

        public int TokensPerItem => 1;

        public nn.Module Module => this;

        public Tensor Encode(Tensor input) => forward(input);

        public override Tensor forward(Tensor input) => _proj.forward(input).unsqueeze(1);
    }

    /// <summary>Counts up from a seeded start; 10 steps per episode; actions 0..2.</summary>
    private sealed class CounterEnvironment(bool honourSeed) : IEnvironment<int, int>
    {
        private static int _unseeded;
        private int _value;
        private int _steps;

        public string Id => "counter/Test-v0";

        public ISpace<int> ObservationSpace { get; } = new DiscreteSpace(1000);

        public ISpace<int> ActionSpace { get; } = new DiscreteSpace(3);

        public ResetResult<int> Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
        {
            _value = honourSeed ? new Random(seed ?? 0).Next(100) : Interlocked.Increment(ref _unseeded);
            _steps = 0;
            return new ResetResult<int>(_value, EmptyInfo.Instance);
        }

        public StepResult<int> Step(int action)
        {
            if (!ActionSpace.Contains(action))
            {
                throw new ArgumentException("invalid action");
            }

            _value += action;
            _steps++;
            return new StepResult<int>(_value, action, _steps >= 10, false, EmptyInfo.Instance);
        }

        public void Dispose()
        {
        }
    }

    private sealed class FixedPolicy(int action) : IPolicy<int, int>
    {
        public string Id => "fixed";

        public void BeginEpisode()
        {
        }

        public int Act(int observation) => action;

        public void Dispose()
        {
        }
    }

    private sealed class IgnoresMask(int d, int choices) : INetworkingHead
    {
        private readonly TorchSharp.Modules.Linear _linear = nn.Linear(d, choices);

        public int InputDim => d;

        public int Outputs => choices;

        public nn.Module Module => _linear;

        public Tensor Forward(Tensor features, Tensor? validMask = null) => _linear.forward(features).abs().add(100);
    }
}
