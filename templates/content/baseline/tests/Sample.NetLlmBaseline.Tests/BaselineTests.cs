using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;
using NetLlm.Core.Plugins;
using NetLlm.Testing.Conformance;
using Sample.NetLlmPredictionTask;
using Sample.NetLlmPredictionTask.Data;
using Sample.NetLlmPredictionTask.Policies;

namespace Sample.NetLlmBaseline.Tests;

public sealed class BaselineTests
{
    // The ids of the plugins NetLlm ships with: a plugin id must not clash with any installed plugin.
    private static readonly string[] BuiltIn =
    [
        "backbone.gpt2", "backbone.llama", "backbone.llava", "backbone.mistral", "backbone.opt",
        "baselines.abr.bba", "baselines.abr.oracle", "baselines.abr.pensieve", "baselines.abr.robust-mpc", "baselines.cjs.decima",
        "baselines.cjs.random", "baselines.cjs.round-robin", "baselines.vp.lr", "baselines.vp.persistence", "baselines.vp.track", "baselines.vp.velocity",
        "encoders.graph", "encoders.standard", "encoders.vision", "task.abr", "task.cjs", "task.vp", "testbeds.abr.dashplayer",
    ];

    private static PluginRegistry Registry(ThroughputTask task) => new(tasks: [task], policies: [new EwmaPolicyProvider(), new LastValuePolicyProvider()]);

    private static VerbRequest Test(ThroughputTask task, IReadOnlyList<OptionInput>? policyOptions = null, params string[] policies) => new()
    {
        Task = task,
        Context = new TaskContext { Verb = TaskVerb.Test, Seed = 1 },
        Registry = Registry(task),
        Policies = policies,
        PolicyOptions = policyOptions ?? [],
    };

    [Fact]
    public void Manifest_IsValidUniqueAndDependsOnTheTask()
    {
        var manifest = ManifestChecks.HasValidManifest(typeof(EwmaPolicy).Assembly, BuiltIn);

        Assert.Equal("baselines.sample-id", manifest.Id);
        Assert.Equal(PluginKind.Baseline, manifest.Kind);
        Assert.Equal(["task.sample-id"], manifest.DependsOn);
    }

    [Fact]
    public void Conformance_ThePolicyPassesTheKit()
    {
        var task = new ThroughputTask();

        var results = PluginConformance.CheckTask(Registry(task), task, dataRoot: null, new HashSet<string>());

        var ewma = Assert.Single(results, r => r.Id == EwmaPolicy.PolicyId);
        Assert.True(ewma.Passed, ewma.ToString());
        Assert.Contains("predictions on setting default", ewma.Detail);
    }

    [Fact]
    public void Ewma_WeighsTheNewestSampleByAlpha()
    {
        using var policy = new EwmaPolicy(new EwmaOptions { Alpha = 0.5 });

        var forecast = policy.Act(new ThroughputHistory([4f, 2f, 6f]));

        // e = 4; e = 0.5 * 2 + 0.5 * 4 = 3; e = 0.5 * 6 + 0.5 * 3 = 4.5
        Assert.Equal(Enumerable.Repeat(4.5f, ThroughputConstants.Horizon), forecast.Mbps);
    }

    [Fact]
    public void Ewma_RejectsAnEmptyHistoryAndAnAlphaOutOfRange()
    {
        using var policy = new EwmaPolicy(new EwmaOptions());

        Assert.Contains("holds no throughput sample", Assert.Throws<ArgumentException>(() => policy.Act(new ThroughputHistory([]))).Message);
        Assert.Contains("must be in (0, 1]", Assert.Throws<ArgumentException>(() => new EwmaPolicy(new EwmaOptions { Alpha = 0 })).Message);
    }

    [Fact]
    public void Engine_RunsTheBaseline_AndItsTypedOptionChangesIt()
    {
        var task = new ThroughputTask();

        var defaults = TaskEngine.Run(Test(task, null, EwmaPolicy.PolicyId, LastValuePolicy.PolicyId));
        var lastValue = TaskEngine.Run(Test(task, [new OptionInput("alpha", 1.0, "test")], EwmaPolicy.PolicyId));
        var range = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Test(task, [new OptionInput("alpha", 2.0, "test")], EwmaPolicy.PolicyId)));

        Assert.Equal(2, defaults.Runs.Count);
        Assert.InRange(defaults.Runs[0].Metric!.Value, 0.01, 3.0);
        Assert.NotEqual(defaults.Runs[1].Metric, defaults.Runs[0].Metric);
        Assert.Equal(defaults.Runs[1].Metric!.Value, lastValue.Runs[0].Metric!.Value, 5);
        Assert.Contains("out of range", range.Message);
    }
}
