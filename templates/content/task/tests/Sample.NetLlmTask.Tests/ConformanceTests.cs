using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Policies;
using NetLlm.Testing.Conformance;
using Sample.NetLlmTask.Data;
using Sample.NetLlmTask.Environment;
using Sample.NetLlmTask.Model;
using Sample.NetLlmTask.Policies;
using static TorchSharp.torch;

namespace Sample.NetLlmTask.Tests;

/// <summary>The NetLlm.Testing conformance kit applied to every contract this plugin implements.</summary>
public sealed class ConformanceTests
{
    private static ThroughputReplayEnvironment CreateEnvironment() =>
        new(SyntheticThroughput.Generate(seed: 5, traces: 3, samples: 60), history: 10, horizon: 2);

    [Fact]
    public void Manifest_IsValidAndUnique()
    {
        // The ids of the plugins NetLlm ships with: a plugin id must not clash with any installed plugin.
        string[] builtIn = ["backbone.gpt2", "backbone.llama", "backbone.llava", "backbone.mistral", "backbone.opt", "baselines.abr", "baselines.cjs", "baselines.vp", "encoders.standard", "encoders.vision", "task.abr", "task.cjs", "task.vp"];

        var manifest = ManifestChecks.HasValidManifest(typeof(ThroughputTask).Assembly, builtIn);

        Assert.Equal("task.sample-id", manifest.Id);
        Assert.Equal(PluginKind.Task, manifest.Kind);
    }

    [Fact]
    public void Environment_SameSeedGivesTheSameEpisode()
    {
        EnvironmentChecks.ResetSeedDeterminism(CreateEnvironment, o => new[] { o[^1], o[^1] }, (a, b) => a.SequenceEqual(b), seed: 3, steps: 60);
    }

    [Fact]
    public void Environment_HonoursItsSpaces_ForAWholeEpisode()
    {
        using var environment = CreateEnvironment();

        var steps = EnvironmentChecks.SpacesHonoured(environment, seed: 1);

        Assert.Equal(60 - 10 - 2 + 1, steps);
    }

    [Theory]
    [InlineData(LastValuePolicyProvider.PolicyId)]
    [InlineData(HarmonicMeanPolicyProvider.PolicyId)]
    public void Baselines_ReturnValidActions(string id)
    {
        ILegacyPolicyProvider provider = id == LastValuePolicyProvider.PolicyId ? new LastValuePolicyProvider() : new HarmonicMeanPolicyProvider();
        using var policy = (IPolicy<float[], float[]>)provider.Create(new PolicyRequest(1, null, new Dictionary<string, string> { ["horizon"] = "2" }));
        using var environment = CreateEnvironment();

        var actions = PolicyChecks.ValidActions(policy, environment, episodes: 2);

        Assert.Equal(2 * (60 - 10 - 2 + 1), actions);
    }

    [Fact]
    public void Encoder_ProducesOneTokenPerStepOfTheDeclaredWidth()
    {
        manual_seed(1);
        using var encoder = new ThroughputHistoryEncoder(embeddingDim: 32, hidden: 8);
        using var input = rand(4, 10);

        ModuleChecks.EncoderTokenShapes(encoder, input, batch: 4);
        using var tokens = encoder.Encode(input);

        Assert.Equal([4L, 10L, 32L], tokens.shape);
    }

    [Fact]
    public void Head_AnswersInsideItsSpace()
    {
        manual_seed(2);
        using var head = new ThroughputHead(inputDim: 32, scaleMbps: 5.0);
        using var features = randn(6, 32) * 10;

        ModuleChecks.HeadAnswersValid(head, features);
        var answers = head.Decode(features, null, NetLlm.Abstractions.Heads.HeadDecoding.Greedy);

        Assert.Equal(6, answers.Count);
        Assert.All(answers, a => Assert.True(a.Length == 1 && a[0] >= 0));
    }

    [Fact]
    public void Encoder_RejectsAFlatInput()
    {
        using var encoder = new ThroughputHistoryEncoder(embeddingDim: 8);
        using var input = rand(10);

        var error = Assert.Throws<ArgumentException>(() => encoder.Encode(input));
        Assert.Contains("[batch, steps]", error.Message);
    }
}
