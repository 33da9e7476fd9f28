using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;
using Sample.NetLlmPredictionTask.Data;
using Sample.NetLlmPredictionTask.Policies;

namespace Sample.NetLlmPredictionTask.Tests;

/// <summary>The task through the engine, as <c>netllm test|adapt</c> runs it: the baseline, splits, a short adaptation and a test of the run.</summary>
public sealed class EngineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bw-engine-").FullName;
    private readonly ThroughputTask _task = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static OptionInput In(string name, object value) => new(name, value, "test");

    private VerbRequest Request(TaskVerb verb, IReadOnlyList<OptionInput>? options = null, string? setting = null, string? output = null, string? dataRoot = null, params string[] policies) => new()
    {
        Task = _task,
        Context = new TaskContext { Verb = verb, Seed = 5, DataRoot = dataRoot },
        Registry = TestPlugins.Registry(_task),
        Setting = setting,
        TaskOptions = options ?? [],
        Policies = policies,
        Output = output,
    };

    [Fact]
    public void Test_ScoresTheBaselineOnTheTestSplit()
    {
        var result = TaskEngine.Run(Request(TaskVerb.Test, policies: [LastValuePolicy.PolicyId]));
        var json = result.ToJson();

        Assert.Equal("default", result.Setting);
        var score = result.Runs[0].Score!;
        Assert.Equal(2 * 13, score.Items.Count);
        Assert.InRange(score.Metric, 0.01, 3.0);
        Assert.Equal("mae_mbps", json["metric"]!["name"]!.GetValue<string>());
        Assert.Equal("test", json["options"]!["split"]!.GetValue<string>());
    }

    [Fact]
    public void TracesSetting_ReadsTheDataRoot_AndReportsABadFileByLine()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "data", ThroughputConstants.TracesFolder)).FullName;
        var traces = SyntheticThroughput.Generate(seed: 2, traces: 5, samples: 20);
        foreach (var trace in traces)
        {
            File.WriteAllLines(Path.Combine(folder, trace.Name + ".txt"), trace.Times.Select((t, i) => FormattableString.Invariant($"{t} {trace.Mbps[i]}")));
        }

        var result = TaskEngine.Run(Request(TaskVerb.Test, setting: "traces", dataRoot: Path.Combine(_dir, "data"), policies: [LastValuePolicy.PolicyId]));
        File.WriteAllLines(Path.Combine(folder, "zz-bad.txt"), ["0 1", "0 2"]);
        var bad = Assert.Throws<InvalidDataException>(() => TaskEngine.Run(Request(TaskVerb.Test, setting: "traces", dataRoot: Path.Combine(_dir, "data"), policies: [LastValuePolicy.PolicyId])));

        Assert.Equal(3, result.Runs[0].Score!.Items.Count); // trace 4 of 5 is the test split: (20 - 10) / 4 + 1 windows
        Assert.Contains("zz-bad.txt:2: time 0 does not increase", bad.Message);
    }

    [Fact]
    public void Adapt_TrainsOnTheTrainSplit_AndTheRunPredictsBoundedValues()
    {
        var run = Path.Combine(_dir, "run");
        var adapt = TaskEngine.Run(Request(TaskVerb.Adapt, output: run) with
        {
            Adaptation = new AdaptationOptions { BackbonePreset = TestBackbone.Preset, Rank = 4, Epochs = 2, BatchSize = 16, WarmupSteps = 0, LearningRate = 1e-3, LoraDropout = 0 },
        });
        var test = TaskEngine.Run(Request(TaskVerb.Test, policies: [run, LastValuePolicy.PolicyId]));

        Assert.Equal("completed", adapt.Runs[0].Details!["status"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(run, "adapter", "adapter_model.safetensors")));
        Assert.Equal(2, test.Runs.Count);
        Assert.InRange(test.Runs[0].Metric!.Value, 0.0, 10.0);
        Assert.Equal(26, test.Runs[0].Score!.Items.Count);
    }

    [Fact]
    public void Options_AreCheckedAgainstTheirRange()
    {
        var error = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, [In("stride", 0)], policies: [LastValuePolicy.PolicyId])));

        Assert.Contains("out of range", error.Message);
    }
}
