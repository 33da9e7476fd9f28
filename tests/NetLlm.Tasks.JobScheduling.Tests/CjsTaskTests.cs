using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.Scheduling;
using NetLlm.Core.Plugins;
using NetLlm.Tasks.JobScheduling.Definition;
using NetLlm.Testing;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>The task definition: settings, the test and bench verbs and their reports.</summary>
public sealed class CjsTaskTests
{
    private static readonly CjsTaskDefinition Task = new();

    private static PluginRegistry Registry() => new(
        legacyTasks: [Task],
        legacyPolicies: [new FifoPolicyProvider(), new FairPolicyProvider(), new RandomPolicyProvider(), new DecimaPolicyProvider()]);

    private static TaskRequest Request(TaskVerb verb, Dictionary<string, string> args, string? setting = null, params string[] policies) => new()
    {
        Verb = verb,
        DataRoot = TestPaths.DataRoot,
        Seed = 4,
        Policies = policies,
        Setting = setting,
        Arguments = new TaskArguments(args),
        Registry = Registry(),
    };

    [Fact]
    public void Settings_AreThePapersDefaultAndUnseenOnes()
    {
        Assert.Equal(["default", "unseen-1", "unseen-2", "unseen-3"], Task.Settings.Select(s => s.Name));
        Assert.Equal([("200", "50"), ("200", "30"), ("450", "50"), ("450", "30")], Task.Settings.Select(s => (s.Values["jobs"], s.Values["executors"])));
        var options = CjsSettings.ToOptions(new TaskArguments());
        Assert.Equal((200, 50, 4e-5, 2000.0, 1000.0), (options.Jobs, options.Executors, options.ArrivalRatePerMs, options.MovingDelayMs, options.WarmupDelayMs));
        Assert.Equal("unseen-2", CjsSettings.Describe(null, new TaskArguments(new Dictionary<string, string> { ["jobs"] = "450" })));
        Assert.Equal("custom", CjsSettings.Describe(null, new TaskArguments(new Dictionary<string, string> { ["jobs"] = "20" })));
        Assert.Equal([TaskVerb.Collect, TaskVerb.Adapt, TaskVerb.Test, TaskVerb.Bench], Task.Verbs);
        Assert.False(Task.Metric.HigherIsBetter);
    }

    [Fact]
    public void Test_ReportsTheAverageJctStepsAndEveryJob()
    {
        var report = Task.Run(Request(TaskVerb.Test, new() { ["jobs"] = "20", ["executors"] = "10" }, null, "cjs.fair"));

        var json = report.Json;
        Assert.Equal("cjs.fair", json["policy"]!.GetValue<string>());
        Assert.Equal("custom", json["setting"]!.GetValue<string>());
        Assert.Equal(4, json["seed"]!.GetValue<int>());
        Assert.Equal(20, json["jobs_completed"]!.GetValue<int>());
        Assert.Equal(0, json["truncated_episodes"]!.GetValue<int>());
        Assert.True(json["env_steps"]!.GetValue<int>() >= 20);
        var perJob = json["per_job"]!.AsArray();
        Assert.Equal(20, perJob.Count);
        var jct = perJob.Select(j => j!["completion_s"]!.GetValue<double>() - j["arrival_s"]!.GetValue<double>()).Average();
        Assert.Equal(json["avg_jct_s"]!.GetValue<double>(), jct, 9);
        Assert.Equal(report.Metric, json["avg_jct_s"]!.GetValue<double>());
        Assert.Equal(20, report.Distribution.Count);
        Assert.All(perJob, j => Assert.InRange(j!["query"]!.GetValue<int>(), 1, 22));
        Assert.All(perJob, j => Assert.Contains(j!["size"]!.GetValue<string>(), new[] { "2g", "5g", "10g", "20g", "50g", "80g", "100g" }));
        Assert.Contains("average JCT", report.Summary[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Test_OverSeveralEpisodes_ReportsTheMeanAndSpread()
    {
        var report = Task.Run(Request(TaskVerb.Test, new() { ["jobs"] = "10", ["executors"] = "5", ["episodes"] = "3" }, null, "cjs.fifo"));

        var episodes = report.Json["per_episode"]!.AsArray();
        Assert.Equal(3, episodes.Count);
        Assert.Equal([4, 5, 6], episodes.Select(e => e!["seed"]!.GetValue<int>()));
        var means = episodes.Select(e => e!["avg_jct_s"]!.GetValue<double>()).ToList();
        Assert.Equal(means.Average(), report.Json["avg_jct_s"]!.GetValue<double>(), 9);
        Assert.Equal(CjsTestVerb.Std(means), report.Json["avg_jct_s_std"]!.GetValue<double>(), 9);
        Assert.True(CjsTestVerb.Std(means) > 0);
        Assert.Equal(30, report.Json["per_job"]!.AsArray().Count);
    }

    [Fact]
    public void Test_WithASetting_ReportsItsName()
    {
        var report = Task.Run(Request(TaskVerb.Test, new() { ["jobs"] = "10", ["executors"] = "30" }, "unseen-1", "cjs.random"));

        Assert.Equal("unseen-1", report.Json["setting"]!.GetValue<string>());
        Assert.Equal(30, report.Json["options"]!["executors"]!.GetValue<int>());
    }

    [Fact]
    public void Test_RejectsUnknownOrSeveralPolicies()
    {
        var unknown = Assert.Throws<KeyNotFoundException>(() => Task.Run(Request(TaskVerb.Test, [], null, "cjs.nothing")));
        var several = Assert.Throws<ArgumentException>(() => Task.Run(Request(TaskVerb.Test, [], null, "cjs.fifo", "cjs.fair")));
        var noDataRoot = Assert.Throws<ArgumentException>(() => Task.Run(new TaskRequest { Verb = TaskVerb.Test, Policies = ["cjs.fifo"], Registry = Registry() }));

        Assert.Contains("cjs.nothing", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("exactly one --policy", several.Message, StringComparison.Ordinal);
        Assert.Contains("data root", noDataRoot.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_MeasuresStepsPerSecondForFifoAndFair()
    {
        var report = Task.Run(Request(TaskVerb.Bench, new() { ["jobs"] = "30", ["executors"] = "20", ["bench-repeats"] = "1", ["episodes"] = "2" }));

        var results = report.Json["results"]!.AsObject();
        Assert.Equal(["cjs.fifo", "cjs.fair"], results.Select(r => r.Key));
        foreach (var (_, entry) in results)
        {
            Assert.True(entry!["steps_per_s"]!.GetValue<double>() > 0);
            Assert.True(entry["episode_wall_s"]!.GetValue<double>() > 0);
            Assert.Equal(2, entry["avg_jct_s_per_seed"]!.AsArray().Count);
        }

        Assert.Equal(1, report.Json["threads"]!.GetValue<int>());
        Assert.Equal(1400, report.Json["original"]!["steps_per_s"]!.GetValue<double>());
        Assert.Equal(2, report.Components.Count);
    }

    [Fact]
    public void DataRequirements_ValidateTheQueryFiles()
    {
        var requirement = Task.DataRequirements[0];
        Assert.Equal("cjs/tpch_json/2g", requirement.RelativePath);
        Assert.Null(requirement.Validate!(CjsTestData.QueryJson("2g", 3)));
        using var dir = new TempDirectory();
        Assert.Contains("missing 'adj_mat'", requirement.Validate(dir.File("query_1.json", """{"query": 1, "size": "2g"}""")), StringComparison.Ordinal);
    }
}
