using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;
using Sample.NetLlmDecisionTask.Data;
using Sample.NetLlmDecisionTask.Policies;

namespace Sample.NetLlmDecisionTask.Tests;

/// <summary>
/// The task through the engine in NetLlm.Core, as <c>netllm test|collect|adapt</c> runs it: settings and options,
/// the baselines' scores, an experience pool, a short adaptation on the tiny test backbone and a test of the run.
/// </summary>
public sealed class EngineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("link-engine-").FullName;
    private readonly LinkTask _task = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static OptionInput In(string name, object value) => new(name, value, "test");

    private VerbRequest Request(TaskVerb verb, IReadOnlyList<OptionInput>? options = null, string? setting = null, string? output = null, string? dataRoot = null, params string[] policies) => new()
    {
        Task = _task,
        Context = new TaskContext { Verb = verb, Seed = 7, DataRoot = dataRoot },
        Registry = TestPlugins.Registry(_task),
        Setting = setting,
        TaskOptions = options ?? [],
        Policies = policies,
        Output = output,
    };

    [Fact]
    public void Test_GreedyBeatsRandom_OnTheDefaultSetting()
    {
        var result = TaskEngine.Run(Request(TaskVerb.Test, policies: [GreedyLinkPolicy.PolicyId, RandomLinkPolicy.PolicyId]));
        var json = result.ToJson();

        Assert.Equal("default", result.Setting);
        Assert.Equal(2, result.Runs.Count);
        var greedy = result.Runs[0].Score!;
        var random = result.Runs[1].Score!;
        Assert.Equal(6, greedy.Items.Count);
        Assert.True(greedy.Metric > random.Metric, $"greedy {greedy.Metric:0.00} vs random {random.Metric:0.00} Mbit/s");
        Assert.InRange(greedy.Metric, 2.0, 14.0);
        Assert.True(random.Components[Scoring.LinkRunScorer.SwitchRate] > 0.5);
        Assert.Equal("mean_throughput", json["metric"]!["name"]!.GetValue<string>());
        Assert.Equal(0.5, json["options"]!["switch-cost"]!.GetValue<double>());
    }

    [Fact]
    public void Options_OverrideTheSettingAndAreCheckedAgainstTheirRange()
    {
        var costly = TaskEngine.Run(Request(TaskVerb.Test, [In("episodes", 2)], setting: "costly", policies: [RandomLinkPolicy.PolicyId]));
        var custom = TaskEngine.Run(Request(TaskVerb.Test, [In("switch-cost", 0.0)], policies: [RandomLinkPolicy.PolicyId]));
        var range = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, [In("switch-cost", 1.5)], policies: [RandomLinkPolicy.PolicyId])));

        Assert.Equal(2, costly.Runs[0].Score!.Items.Count);
        Assert.Equal(0.9, costly.ToJson()["options"]!["switch-cost"]!.GetValue<double>(), 6);
        Assert.Equal("custom", custom.Setting);
        Assert.Equal(0.0, custom.Runs[0].Score!.Components[Scoring.LinkRunScorer.SwitchLoss]);
        Assert.Contains("out of range", range.Message);
    }

    [Fact]
    public void TracesSetting_ReadsTheDataRoot_AndNamesTheOptionWhenItIsMissing()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "data", LinkConstants.TracesFolder)).FullName;
        foreach (var (trace, i) in LinkTraceGenerator.Generate(3, 60, seed: 9).Select((t, i) => (t, i)))
        {
            LinkTraceReader.Write(trace, Path.Combine(folder, $"trace-{i}.txt"));
        }

        var result = TaskEngine.Run(Request(TaskVerb.Test, setting: "traces", dataRoot: Path.Combine(_dir, "data"), policies: [GreedyLinkPolicy.PolicyId]));
        var missing = Assert.Throws<FileNotFoundException>(() => TaskEngine.Run(Request(TaskVerb.Test, setting: "traces", dataRoot: Path.Combine(_dir, "empty"), policies: [GreedyLinkPolicy.PolicyId])));

        Assert.Equal(["trace-0.txt#0", "trace-1.txt#1", "trace-2.txt#2"], result.Runs[0].Score!.Items.Select(i => i.Name));
        Assert.Contains("option --traces", missing.Message);
    }

    [Fact]
    public void CollectAdaptTest_TrainsARunThatTheEngineTests()
    {
        var pool = Path.Combine(_dir, "pool.safetensors");
        TaskEngine.Run(Request(TaskVerb.Collect, [In("episodes", 4), In("steps", 20)], output: pool, policies: [GreedyLinkPolicy.PolicyId, RandomLinkPolicy.PolicyId]));
        Assert.Equal(2 * 4 * 20, ExperiencePool.Load(pool).Count);

        var run = Path.Combine(_dir, "run");
        var adapt = TaskEngine.Run(Request(TaskVerb.Adapt, [In("steps", 20)], output: run) with
        {
            Adaptation = new AdaptationOptions { Pool = pool, BackbonePreset = TestBackbone.Preset, Rank = 4, Epochs = 1, BatchSize = 4, Window = 5, WarmupSteps = 0, LearningRate = 1e-3, MaxSteps = 3, LoraDropout = 0 },
        });
        Assert.Equal("stopped", adapt.Runs[0].Details!["status"]!.GetValue<string>());

        var resumed = TaskEngine.Run(Request(TaskVerb.Adapt, [In("steps", 20)], output: run) with
        {
            Adaptation = new AdaptationOptions { Pool = pool, BackbonePreset = TestBackbone.Preset, Rank = 4, Epochs = 1, BatchSize = 4, Window = 5, WarmupSteps = 0, LearningRate = 1e-3, MaxSteps = 0, LoraDropout = 0, Resume = true },
        });
        Assert.True(File.Exists(Path.Combine(run, "adapter", "adapter_model.safetensors")));

        var test = TaskEngine.Run(Request(TaskVerb.Test, [In("episodes", 2), In("steps", 20)], policies: [run]) with { PolicyOptions = [In("argmax", true)] });
        Assert.Equal(2, test.Runs[0].Score!.Items.Count);
        Assert.InRange(test.Runs[0].Metric!.Value, 0.0, 20.0);
        Assert.Equal("completed", resumed.Runs[0].Details!["status"]!.GetValue<string>());
    }
}
