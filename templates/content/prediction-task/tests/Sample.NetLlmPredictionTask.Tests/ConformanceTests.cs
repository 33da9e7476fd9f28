using NetLlm.Abstractions.Plugins;
using NetLlm.Testing.Conformance;

namespace Sample.NetLlmPredictionTask.Tests;

/// <summary>The NetLlm.Testing conformance kit over the task, its baseline, the encoder slot and the test backbone; the manifest.</summary>
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
        var manifest = ManifestChecks.HasValidManifest(typeof(ThroughputTask).Assembly, BuiltIn);

        Assert.Equal("task.sample-id", manifest.Id);
        Assert.Equal(PluginKind.Task, manifest.Kind);
    }

    [Fact]
    public void Conformance_EveryComponentPasses()
    {
        var results = PluginConformance.CheckAll(TestPlugins.Registry(), dataRoot: null);

        Assert.All(results, r => Assert.True(r.Passed, r.ToString()));
        Assert.Equal(
            ["backbone:test", $"encoder:{ThroughputConstants.EncoderId}", "policy:sample-bw.last-value", "task:sample-bw"],
            results.Select(r => $"{r.Kind}:{r.Id}").Order(StringComparer.Ordinal));
    }
}
