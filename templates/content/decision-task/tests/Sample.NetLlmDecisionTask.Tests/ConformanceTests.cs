using NetLlm.Abstractions.Plugins;
using NetLlm.Testing.Conformance;

namespace Sample.NetLlmDecisionTask.Tests;

/// <summary>The NetLlm.Testing conformance kit over the task and its policies, and the manifest.</summary>
public sealed class ConformanceTests
{
    // The ids of the plugins NetLlm ships with: a plugin id must not clash with any installed plugin.
    internal static readonly string[] BuiltIn =
    [
        "backbone.gpt2", "backbone.llama", "backbone.llava", "backbone.mistral", "backbone.opt",
        "baselines.abr.bba", "baselines.abr.oracle", "baselines.abr.pensieve", "baselines.abr.robust-mpc", "baselines.cjs.decima",
        "baselines.cjs.random", "baselines.cjs.round-robin", "baselines.vp.lr", "baselines.vp.persistence", "baselines.vp.track", "baselines.vp.velocity",
        "encoders.graph", "encoders.standard", "encoders.vision", "task.abr", "task.cjs", "task.vp", "testbeds.abr.dashplayer",
    ];

    [Fact]
    public void Manifest_IsValidAndUnique()
    {
        var manifest = ManifestChecks.HasValidManifest(typeof(LinkTask).Assembly, BuiltIn);

        Assert.Equal("task.sample-id", manifest.Id);
        Assert.Equal(PluginKind.Task, manifest.Kind);
    }

    [Fact]
    public void Conformance_EveryComponentPasses()
    {
        var results = PluginConformance.CheckAll(TestPlugins.Registry(), dataRoot: null);

        Assert.All(results, r => Assert.True(r.Passed, r.ToString()));
        Assert.Equal(
            ["backbone:test", $"encoder:{LinkConstants.EncoderId}", "policy:sample-link.greedy", "policy:sample-link.random", "task:sample-link"],
            results.Select(r => $"{r.Kind}:{r.Id}").Order(StringComparer.Ordinal));
        Assert.Contains("exercised through a task's encoder slot", results.Single(r => r.Kind == "encoder").Detail);
    }
}
