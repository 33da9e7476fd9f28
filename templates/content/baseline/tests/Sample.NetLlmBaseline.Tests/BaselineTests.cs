using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Policies;
using NetLlm.Testing.Conformance;

namespace Sample.NetLlmBaseline.Tests;

public sealed class BaselineTests
{
    private static readonly float[] Series = [.. Enumerable.Range(0, 40).Select(i => 2f + MathF.Sin(i / 3f))];

    [Fact]
    public void Manifest_IsValidAndUnique()
    {
        // The ids of the plugins NetLlm ships with: a plugin id must not clash with any installed plugin.
        string[] builtIn = ["backbone.gpt2", "backbone.llama", "backbone.llava", "backbone.mistral", "backbone.opt", "baselines.abr", "baselines.cjs", "baselines.vp", "encoders.standard", "encoders.vision", "task.abr", "task.cjs", "task.vp"];

        var manifest = ManifestChecks.HasValidManifest(typeof(EwmaPolicy).Assembly, builtIn);

        Assert.Equal("baselines.sample-id", manifest.Id);
        Assert.Equal(PluginKind.Baseline, manifest.Kind);
    }

    [Fact]
    public void Provider_CreatesAPolicyOfTheDeclaredTypes()
    {
        var provider = new EwmaPolicyProvider();

        using var policy = (IDisposable)provider.Create(new PolicyRequest(1, null, new Dictionary<string, string>()));

        Assert.IsAssignableFrom(typeof(IPolicy<,>).MakeGenericType(provider.ObservationType, provider.ActionType), policy);
        Assert.Equal("sample-bw.ewma", provider.Id);
        Assert.StartsWith(provider.TaskId + ".", provider.Id);
    }

    [Fact]
    public void Policy_ReturnsValidActionsForAWholeEpisode()
    {
        using var policy = (IPolicy<float[], float[]>)new EwmaPolicyProvider().Create(new PolicyRequest(1, null, new Dictionary<string, string> { ["horizon"] = "3" }));
        using var environment = new SeriesReplayEnvironment(Series, history: 8, horizon: 3);

        var actions = PolicyChecks.ValidActions(policy, environment, episodes: 2);

        Assert.Equal(2 * (40 - 8 - 3 + 1), actions);
    }

    [Fact]
    public void Policy_WeighsTheNewestSampleByAlpha()
    {
        using var policy = new EwmaPolicy(horizon: 2, alpha: 0.5);

        // e = 1; e = 0.5 * 3 + 0.5 * 1 = 2; e = 0.5 * 6 + 0.5 * 2 = 4
        Assert.Equal([4f, 4f], policy.Act([1f, 3f, 6f]));
    }

    [Fact]
    public void Policy_RejectsAnEmptyHistory()
    {
        using var policy = new EwmaPolicy(horizon: 1);

        var error = Assert.Throws<ArgumentException>(() => policy.Act([]));

        Assert.Contains("no throughput sample", error.Message);
    }

    [Fact]
    public void Provider_RejectsABadHorizon_NamingTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => new EwmaPolicyProvider().Create(new PolicyRequest(1, null, new Dictionary<string, string> { ["horizon"] = "0" })));

        Assert.Contains("--horizon", error.Message);
    }
}
