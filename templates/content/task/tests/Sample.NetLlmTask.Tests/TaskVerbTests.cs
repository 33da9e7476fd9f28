using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Plugins;
using Sample.NetLlmTask.Policies;

namespace Sample.NetLlmTask.Tests;

/// <summary>The task's verbs through a plugin registry, as the netllm host runs them.</summary>
public sealed class TaskVerbTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("throughput-verbs-").FullName;
    private readonly PluginRegistry _registry = new(
        legacyTasks: [new ThroughputTask()],
        legacyPolicies: [new LastValuePolicyProvider(), new HarmonicMeanPolicyProvider()],
        backbones: [new TestBackboneProvider()]);

    [Fact]
    public void Test_ScoresTheBaselinesOnTraceFiles()
    {
        var traces = Directory.CreateDirectory(Path.Combine(_folder, "traces")).FullName;
        File.WriteAllLines(Path.Combine(traces, "a_ramp"), Enumerable.Range(0, 15).Select(i => $"{i}\t{i}"));
        File.WriteAllLines(Path.Combine(traces, "b_flat"), Enumerable.Range(0, 12).Select(i => $"{i}\t3"));

        var report = Run(TaskVerb.Test, [LastValuePolicyProvider.PolicyId, HarmonicMeanPolicyProvider.PolicyId], new() { ["test-traces"] = traces });

        // Last value is off by exactly 1 Mbps on each of the 5 ramp windows and exact on the 2 flat ones.
        Assert.Equal(5.0 / 7.0, report.Metric!.Value, 10);
        Assert.Equal([1.0, 0.0], report.Distribution);
        var results = report.Json["results"]!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.Equal(7, Number(results[0]!["values"]));
        // The harmonic mean of the 5 samples before t on the ramp, against t.
        var expected = Enumerable.Range(10, 5).Sum(t => t - (5.0 / Enumerable.Range(t - 5, 5).Sum(v => 1.0 / v))) / 7.0;
        Assert.Equal(expected, Number(results[1]!["mae_mbps"]), 5);
    }

    [Fact]
    public void AdaptThenTest_TrainsARunDirectoryThatTestsLikeAPolicy()
    {
        var run = Path.Combine(_folder, "run");
        var small = new Dictionary<string, string> { ["synthetic-traces"] = "2", ["synthetic-samples"] = "40" };

        var adapt = Run(TaskVerb.Adapt, [], new(small) { ["backbone"] = TestBackbone.Preset, ["epochs"] = "2", ["rank"] = "4", ["warmup-steps"] = "0", ["lr"] = "0.001" }, run);
        var test = Run(TaskVerb.Test, [run, LastValuePolicyProvider.PolicyId], small);

        Assert.Equal("completed", adapt.Json["status"]!.GetValue<string>());
        Assert.Equal(4, Number(adapt.Json["result"]!["steps"]));
        Assert.True(File.Exists(Path.Combine(run, "run.json")));
        var results = test.Json["results"]!.AsArray();
        Assert.Equal(2 * (40 - 10), Number(results[0]!["values"]));
        Assert.InRange(Number(results[0]!["mae_mbps"]), 0.0, 10.0);
    }

    [Fact]
    public void Test_RejectsAPolicyOfAnotherTask()
    {
        var registry = new PluginRegistry(legacyTasks: [new ThroughputTask()], legacyPolicies: [new OtherTaskPolicyProvider()]);

        var error = Assert.Throws<ArgumentException>(() => new ThroughputTask().Run(Request(registry, TaskVerb.Test, ["abr.bba"], [])));

        Assert.Contains("is for task 'abr'", error.Message);
    }

    [Fact]
    public void Test_RejectsAnUnknownSetting_ListingTheSettings()
    {
        var request = new TaskRequest { Verb = TaskVerb.Test, Policies = [LastValuePolicyProvider.PolicyId], Setting = "nope", Registry = _registry };

        var error = Assert.Throws<ArgumentException>(() => new ThroughputTask().Run(request));

        Assert.Contains("settings: default, abr-fcc", error.Message);
    }

    [Fact]
    public void Collect_IsNotSupported()
    {
        Assert.Throws<NotSupportedException>(() => Run(TaskVerb.Collect, [LastValuePolicyProvider.PolicyId], []));
    }

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
    }

    private static double Number(JsonNode? node) => double.Parse(node!.ToJsonString(), CultureInfo.InvariantCulture);

    private TaskReport Run(TaskVerb verb, string[] policies, Dictionary<string, string> arguments, string? output = null) =>
        _registry.GetLegacyTask(ThroughputTask.TaskId).Run(Request(_registry, verb, policies, arguments, output));

    private static TaskRequest Request(PluginRegistry registry, TaskVerb verb, string[] policies, Dictionary<string, string> arguments, string? output = null) => new()
    {
        Verb = verb,
        Seed = 1,
        Policies = policies,
        Arguments = new TaskArguments(arguments),
        Output = output,
        Registry = registry,
    };

    private sealed class OtherTaskPolicyProvider : ILegacyPolicyProvider
    {
        public string Id => "abr.bba";

        public string TaskId => "abr";

        public string Description => "a policy of another task";

        public Type ObservationType => typeof(object);

        public Type ActionType => typeof(int);

        public object Create(PolicyRequest request) => throw new InvalidOperationException("must not be created");
    }
}
