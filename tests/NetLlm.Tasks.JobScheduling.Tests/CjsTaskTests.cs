using System.Text.Json.Nodes;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;
using NetLlm.Tasks.JobScheduling.Options;
using NetLlm.Testing;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>The task through the engine: its description, options, settings, the test verb's score and the benchmark.</summary>
public sealed class CjsTaskTests
{
    private static readonly CjsTask Task = new();

    private static VerbRequest Request(TaskVerb verb, IReadOnlyList<OptionInput> options, string? setting = null, params string[] policies) => new()
    {
        Task = Task,
        Context = new TaskContext { Verb = verb, DataRoot = TestPaths.DataRoot, Seed = 4 },
        Registry = CjsTestData.Registry(Task),
        Setting = setting,
        TaskOptions = options,
        Policies = policies,
    };

    private static OptionInput In(string name, object value) => new(name, value, "test");

    private static PolicyRun TestOne(string policy, params OptionInput[] options) => Assert.Single(TaskEngine.Run(Request(TaskVerb.Test, options, null, policy)).Runs);

    [Fact]
    public void Info_DescribesTheMetricBaselinesAndData()
    {
        var info = Task.Info;

        Assert.Equal(("cjs", "Cluster job scheduling", TaskKind.Decision), (info.Id, info.Title, info.Kind));
        Assert.Equal(("avg_jct_s", "s", false, "average JCT", "job", "job completion time"), (info.Metric.Name, info.Metric.Unit, info.Metric.HigherIsBetter, info.Metric.Label, info.Metric.ItemLabel, info.Metric.ItemQuantity));
        Assert.Equal(["cjs.fifo", "cjs.fair", "cjs.decima", "cjs.random"], info.Baselines);
        Assert.Equal(["cjs/tpch_json/2g", "cjs/tpch_json/5g", "cjs/tpch_json/10g", "cjs/tpch_json/20g", "cjs/tpch_json/50g", "cjs/tpch_json/80g", "cjs/tpch_json/100g", CjsTask.DecimaWeights, "cjs/models/decima/model.pt", "cjs/tpch", "cjs/README.md"], info.Data.Select(d => d.RelativePath));
        Assert.All(info.Data.Take(7), d => Assert.Equal(("query_*.json", 22, true), (d.Pattern, d.MinimumCount, d.Required)));
        Assert.All(info.Data.Skip(7), d => Assert.False(d.Required));
        Assert.Equal([22, 22, 22, 22, 22, 22, 22, 1, 1, 462, 1], info.Data.Select(d => d.Files.Count)); // the files of the embedded manifest, each under its requirement
        Assert.Equal(619, info.Data.Sum(d => d.Files.Count));
        Assert.Equal(EpisodeProtocol.Default, Task.Protocol);
        Assert.Same(Task, TaskShape.Of(Task).Task);
        Assert.Equal(typeof(CjsOptions), TaskShape.Of(Task).OptionsType);
        Assert.True(TaskEngine.HasBenchmark(Task));
    }

    [Fact]
    public void Options_KeepTheOldNamesAndRanges()
    {
        var fields = OptionSchema.Of<CjsOptions>().Fields.ToDictionary(f => f.Name);

        Assert.Equal(["jobs", "executors", "arrival-rate", "moving-delay", "warmup-delay", "episodes", "bench-repeats"], OptionSchema.Of<CjsOptions>().Fields.Select(f => f.Name));
        Assert.Equal((1.0, 1e6), (fields["jobs"].Minimum, fields["jobs"].Maximum));
        Assert.Equal(1.0, fields["executors"].Minimum);
        Assert.True(fields["arrival-rate"].Minimum > 0);
        Assert.Equal(0.0, fields["moving-delay"].Minimum);
        Assert.Equal(0.0, fields["warmup-delay"].Minimum);
        Assert.Equal(1.0, fields["episodes"].Minimum);
        Assert.Equal(VerbScope.Collect | VerbScope.Test | VerbScope.Bench, fields["episodes"].Verbs);
        Assert.Equal(VerbScope.Bench, fields["bench-repeats"].Verbs);
        Assert.Equal(VerbScope.All, fields["jobs"].Verbs);
        var defaults = new CjsOptions();
        Assert.Equal((200, 50, 4e-5, 2000.0, 1000.0, 1, 5), (defaults.Jobs, defaults.Executors, defaults.ArrivalRate, defaults.MovingDelay, defaults.WarmupDelay, defaults.Episodes, defaults.BenchRepeats));
    }

    [Fact]
    public void Settings_AreThePapersDefaultAndUnseenOnes()
    {
        Assert.Equal(["default", "unseen-1", "unseen-2", "unseen-3"], Task.Settings.Select(s => s.Name));
        var applied = Task.Settings.Select(s => (CjsOptions)s.Apply(new CjsOptions { Jobs = 7, ArrivalRate = 1e-3 })).ToList();
        Assert.Equal([(200, 50), (200, 30), (450, 50), (450, 30)], applied.Select(o => (o.Jobs, o.Executors)));
        Assert.All(applied, o => Assert.Equal((4e-5, 2000.0, 1000.0), (o.ArrivalRate, o.MovingDelay, o.WarmupDelay)));
        Assert.Equal(VerbScope.All, Task.Settings[0].DefaultFor);
        Assert.All(Task.Settings.Skip(1), s => Assert.Equal(VerbScope.None, s.DefaultFor));
        Assert.Equal(["jobs", "executors"], TaskOptionsResolver.SettingDefined(Task, typeof(CjsOptions)).Order(StringComparer.Ordinal).Reverse());
    }

    [DataFact("cjs")]
    public void Test_ScoresTheAverageJct_WithEveryJobAsAnItem()
    {
        var result = TaskEngine.Run(Request(TaskVerb.Test, [In("jobs", 20), In("executors", 10)], null, "cjs.fair"));

        Assert.Equal("custom", result.Setting);
        var run = Assert.Single(result.Runs);
        var score = run.Score!;
        var details = score.Details!;
        Assert.Equal(("cjs.fair", 4), (run.Policy, run.Seed));
        Assert.Equal(20, details["jobs_completed"]!.GetValue<int>());
        Assert.Equal(0, details["truncated_episodes"]!.GetValue<int>());
        Assert.True(details["env_steps"]!.GetValue<int>() >= 20);
        Assert.Equal(details["env_steps"]!.GetValue<int>(), run.Details!["steps"]!.GetValue<long>());
        var perJob = details["per_job"]!.AsArray();
        Assert.Equal(20, perJob.Count);
        var jct = perJob.Select(j => j!["completion_s"]!.GetValue<double>() - j["arrival_s"]!.GetValue<double>()).Average();
        Assert.Equal(score.Metric, jct, 9);
        Assert.Equal(20, score.Items.Count);
        Assert.Equal(score.Metric, score.Items.Average(i => i.Value), 9);
        Assert.All(score.Items, i => Assert.StartsWith("job ", i.Name, StringComparison.Ordinal));
        Assert.All(perJob, j => Assert.InRange(j!["query"]!.GetValue<int>(), 1, 22));
        Assert.All(perJob, j => Assert.Contains(j!["size"]!.GetValue<string>(), new[] { "2g", "5g", "10g", "20g", "50g", "80g", "100g" }));
        Assert.Contains("20 of 20 jobs completed", score.Notes[0], StringComparison.Ordinal);
        Assert.Contains("average JCT", result.Summary()[0], StringComparison.Ordinal);
        var json = result.ToJson();
        Assert.Equal("avg_jct_s", json["metric"]!["name"]!.GetValue<string>());
        Assert.Equal(20, json["options"]!["jobs"]!.GetValue<int>());
    }

    [DataFact("cjs")]
    public void SeveralEpisodes_ContinueTheSimulatorsStream_AndAverageTheirJcts()
    {
        var three = TestOne("cjs.fifo", In("jobs", 10), In("executors", 5), In("episodes", 3)).Score!;
        var one = TestOne("cjs.fifo", In("jobs", 10), In("executors", 5)).Score!;

        var episodes = three.Details!["per_episode"]!.AsArray();
        Assert.Equal([0, 1, 2], episodes.Select(e => e!["episode"]!.GetValue<int>()));
        var means = episodes.Select(e => e!["avg_jct_s"]!.GetValue<double>()).ToList();
        Assert.Equal(means.Average(), three.Metric, 9);
        Assert.Equal(Scoring.CjsScorer.SampleStd(means), three.Details["avg_jct_s_std"]!.GetValue<double>(), 9);
        Assert.True(Scoring.CjsScorer.SampleStd(means) > 0);
        Assert.Equal(30, three.Details["per_job"]!.AsArray().Count);
        Assert.Equal(30, three.Items.Count);
        Assert.Equal("episode 2 job 0", three.Items.Last(i => i.Name.EndsWith(" job 0", StringComparison.Ordinal)).Name);

        // The first episode is the single episode of the same seed; the next ones continue its stream.
        Assert.Equal(one.Metric, means[0]);
        Assert.NotEqual(means[0], means[1]);
    }

    [DataFact("cjs")]
    public void ASetting_IsReportedByName_AndOptionsGivenOverrideIt()
    {
        var result = TaskEngine.Run(Request(TaskVerb.Test, [In("jobs", 10)], "unseen-1", "cjs.random"));

        Assert.Equal("unseen-1", result.Setting);
        Assert.Equal(30, result.Options!["executors"]!.GetValue<int>());
        Assert.Equal(10, result.Options["jobs"]!.GetValue<int>());
        // Without --setting, an option no setting changes keeps the default setting.
        var settingFree = TaskOptionsResolver.Resolve(Task, typeof(CjsOptions), VerbScope.Test, null, [], [In("episodes", 2)]);
        Assert.Equal("default", settingFree.Setting);
    }

    [DataFact("cjs")]
    public void SeveralPolicies_RunOneAfterAnother()
    {
        var result = TaskEngine.Run(Request(TaskVerb.Test, [In("jobs", 8), In("executors", 6)], null, "cjs.fifo", "cjs.fair", "cjs.random"));

        Assert.Equal(["cjs.fifo", "cjs.fair", "cjs.random"], result.Runs.Select(r => r.Policy));
        Assert.All(result.Runs, r => Assert.Equal(8, r.Score!.Items.Count));
    }

    [Fact]
    public void UnknownPolicies_AndAMissingDataRoot_AreRejected()
    {
        var unknown = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, [], null, "cjs.nothing")));
        var noDataRoot = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, [], null, "cjs.fifo") with { Context = new TaskContext { Verb = TaskVerb.Test } }));

        Assert.Contains("cjs.nothing", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("cjs.fifo, cjs.random", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("data root", noDataRoot.Message, StringComparison.Ordinal);
    }

    [DataFact("cjs")]
    public void Bench_MeasuresStepsPerSecondForFifoAndFair()
    {
        var json = TaskEngine.Bench(Request(TaskVerb.Bench, [In("jobs", 30), In("executors", 20), In("bench-repeats", 1), In("episodes", 2)]), quick: false);

        var results = json["results"]!.AsObject();
        Assert.Equal(["cjs.fifo", "cjs.fair"], results.Select(r => r.Key));
        foreach (var (_, entry) in results)
        {
            Assert.True(entry!["steps_per_s"]!.GetValue<double>() > 0);
            Assert.True(entry["episode_wall_s"]!.GetValue<double>() > 0);
            Assert.Equal(2, entry["avg_jct_s_per_episode"]!.AsArray().Count);
        }

        Assert.Equal(1, json["threads"]!.GetValue<int>());
        Assert.Equal(1, json["repeats"]!.GetValue<int>());
        Assert.Equal(30, json["options"]!["jobs"]!.GetValue<int>());
        Assert.Equal(1400, json["original"]!["steps_per_s"]!.GetValue<double>());
    }

    [DataFact("cjs")]
    public void Bench_Quick_TimesOneEpisode_AndNeedsTheRegistry()
    {
        var options = new CjsOptions { Jobs = 10, Executors = 5 };
        var context = new TaskContext { DataRoot = TestPaths.DataRoot, Seed = 2, Registry = CjsTestData.Registry(Task) };

        var json = Task.RunBenchmark(options, context, quick: true);
        var e = Assert.Throws<ArgumentException>(() => Task.RunBenchmark(options, context with { Registry = null }, quick: true));

        Assert.Equal(1, json["repeats"]!.GetValue<int>());
        Assert.All(json["results"]!.AsObject(), r => Assert.Equal(1, r.Value!["warmup_episodes"]!.GetValue<int>()));
        Assert.Contains("Registry", e.Message, StringComparison.Ordinal);
    }

    [DataFact("cjs")]
    public void DataRequirements_ValidateTheQueryFiles()
    {
        var requirement = Task.Info.Data[0];
        Assert.Equal("cjs/tpch_json/2g", requirement.RelativePath);
        Assert.Null(requirement.Validate!(CjsTestData.QueryJson("2g", 3)));
        using var dir = new TempDirectory();
        Assert.Contains("missing 'adj_mat'", requirement.Validate(dir.File("query_1.json", """{"query": 1, "size": "2g"}""")), StringComparison.Ordinal);
    }
}
