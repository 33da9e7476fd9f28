using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.Viewport;
using NetLlm.Baselines.Viewport.Track;
using NetLlm.Core.Plugins;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using NetLlm.Testing;
using TorchSharp;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Task;

public sealed class ViewportPredictionTaskTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ViewportPredictionTask _task = new();
    private readonly PluginRegistry _registry;

    public ViewportPredictionTaskTests()
    {
        _registry = new PluginRegistry(legacyTasks: [_task], legacyPolicies: [new LinearRegressionProvider(), new VelocityProvider(), new HoldProvider(), new TrackProvider(), new OtherTaskProvider()]);
    }

    public void Dispose() => _temp.Dispose();

    private TaskRequest Request(TaskVerb verb, string[] policies, string? setting = null, Dictionary<string, string>? options = null) => new()
    {
        Verb = verb,
        Policies = policies,
        Setting = setting,
        Arguments = new TaskArguments(options ?? []),
        DataRoot = VpData.DataRoot,
        Seed = 1,
        Registry = _registry,
    };

    [Fact]
    public void Definition_DeclaresSettingsOptionsAndBaselines()
    {
        Assert.Equal("vp", _task.Id);
        Assert.Equal(TaskKind.Prediction, _task.Kind);
        Assert.False(_task.Metric.HigherIsBetter);
        Assert.Equal(new[] { "default", "unseen-1", "unseen-2", "unseen-3" }, _task.Settings.Select(s => s.Name));
        Assert.Equal("25", _task.Settings[1].Values["future"]);
        Assert.Equal("Wu2017", _task.Settings[2].Values["dataset"]);
        Assert.All(_task.Settings, s => Assert.Equal(("30", "60"), (s.Values["trim-head"], s.Values["trim-tail"])));
        var options = _task.Options.Select(o => o.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "dataset", "split", "history", "future", "trim-head", "trim-tail", "step", "track-model", "track-original-loss" }, options);
        Assert.Equal(new[] { "vp.lr", "vp.velocity", "vp.track", "vp.hold" }, _task.Baselines);
        Assert.Null(_task.DataRequirements[0].Validate!(Path.Combine(VpData.DataRoot, "vp", "viewports", "Jin2022", "video1", "5Hz", "simple_5Hz_user1.csv")));
    }

    [Fact]
    public void Test_DefaultSetting_ReportsTheMetricJson()
    {
        var report = _task.Run(Request(TaskVerb.Test, ["vp.velocity"]));
        var json = report.Json;
        Assert.Equal(1698, (int)json["n_samples"]!);
        Assert.Equal(17.499853, (double)json["mae_deg"]!, 3);
        Assert.Equal(17.499853, report.Metric!.Value, 3);
        Assert.Equal(1698, report.Distribution.Count);
        Assert.Equal(report.Metric!.Value, report.Distribution.Average(), 6);
        Assert.Equal(("vp.velocity", "default", 1, "Jin2022", "test"), ((string)json["policy"]!, (string)json["setting"]!, (int)json["seed"]!, (string)json["dataset"]!, (string)json["split"]!));
        Assert.Equal((10, 20, 30, 60, 15), ((int)json["history"]!, (int)json["future"]!, (int)json["trim_head"]!, (int)json["trim_tail"]!, (int)json["step"]!));
        var axes = json["per_axis_mae_deg"]!.AsObject();
        Assert.Equal((double)json["mae_deg"]!, ((double)axes["roll"]! + (double)axes["pitch"]! + (double)axes["yaw"]!) / 3, 6);
        Assert.Equal(6, json["per_video"]!.AsArray().Count);
        Assert.Equal(21, json["per_viewer"]!.AsArray().Count);
        Assert.Equal(126, json["per_video_viewer"]!.AsArray().Count);
        Assert.Equal(20, json["per_step_mae_deg"]!.AsArray().Count);
        Assert.Equal((double)axes["yaw"]!, report.Components["yaw"], 9);
        Assert.Contains("vp.velocity MAE 17.500 deg over 1698 samples", report.Summary[0]);
    }

    [Fact]
    public void Test_NamedSettingWithoutHostMerge_IsApplied_AndExplicitOptionsWin()
    {
        var report = _task.Run(Request(TaskVerb.Test, ["vp.lr"], "unseen-2", new() { ["limit"] = "100" }));
        Assert.Equal(("Wu2017", "unseen-2", 100), ((string)report.Json["dataset"]!, (string)report.Json["setting"]!, (int)report.Json["n_samples"]!));
        var custom = _task.Run(Request(TaskVerb.Test, ["vp.lr"], null, new() { ["future"] = "25", ["limit"] = "10" }));
        Assert.Equal(("custom", 25, "Jin2022"), ((string)custom.Json["setting"]!, (int)custom.Json["future"]!, (string)custom.Json["dataset"]!));
        var overridden = _task.Run(Request(TaskVerb.Test, ["vp.lr"], "unseen-1", new() { ["future"] = "5", ["limit"] = "10" }));
        Assert.Equal(5, (int)overridden.Json["future"]!);
    }

    [Fact]
    public void Test_SeveralPolicies_ReportEach()
    {
        var report = _task.Run(Request(TaskVerb.Test, ["vp.lr", "vp.velocity"], options: new() { ["limit"] = "200" }));
        var results = report.Json["results"]!.AsArray();
        Assert.Equal(new[] { "vp.lr", "vp.velocity" }, results.Select(r => (string)r!["policy"]!));
        Assert.Equal((double)results[0]!["mae_deg"]!, report.Metric!.Value, 9);
        Assert.NotEqual((double)results[0]!["mae_deg"]!, (double)results[1]!["mae_deg"]!);
        Assert.Equal(2, report.Summary.Count);
    }

    [Fact]
    public void Test_TrackModelDirectory_IsLoadedThroughTheProvider()
    {
        torch.random.manual_seed(3);
        using var model = new TrackModel();
        var directory = Path.Combine(_temp.Path, "track");
        TrackCheckpoint.Save(directory, model, new TrackConfig { Epochs = 1 });
        var report = _task.Run(Request(TaskVerb.Test, ["vp.track"], options: new() { ["track-model"] = directory, ["limit"] = "70", ["batch-size"] = "32" }));
        Assert.Equal(70, (int)report.Json["n_samples"]!);
        Assert.True(double.IsFinite(report.Metric!.Value));
    }

    [Fact]
    public void Test_TrackWithoutAModel_TrainsSavesAndReportsItsTraining()
    {
        var save = Path.Combine(_temp.Path, "trained");
        var report = _task.Run(Request(TaskVerb.Test, ["vp.track"], options: new()
        {
            ["track-epochs"] = "1",
            ["track-train-samples"] = "64",
            ["track-batch"] = "32",
            ["track-save"] = save,
            ["limit"] = "20",
        }));
        var info = report.Json["policy_info"]!;
        Assert.Equal((1, 64, 1754, 1, false), ((int)info["epochs"]!, (int)info["train_samples"]!, (int)info["valid_samples"]!, (int)info["seed"]!, (bool)info["original_loss"]!));
        var reloaded = _task.Run(Request(TaskVerb.Test, ["vp.track"], options: new() { ["track-model"] = save, ["limit"] = "20" }));
        Assert.Equal(report.Metric!.Value, reloaded.Metric!.Value, 3);
    }

    [Fact]
    public void Test_BadPoliciesAndOptions_AreClearErrors()
    {
        Assert.Contains("unknown policy 'vp.nope'", Assert.Throws<KeyNotFoundException>(() => _task.Run(Request(TaskVerb.Test, ["vp.nope"]))).Message);
        Assert.Contains("for task 'abr'", Assert.Throws<ArgumentException>(() => _task.Run(Request(TaskVerb.Test, ["abr.other"]))).Message);
        Assert.Contains("not a run directory", Assert.Throws<ArgumentException>(() => _task.Run(Request(TaskVerb.Test, [_temp.Path]))).Message);
        Assert.Contains("--policy", Assert.Throws<ArgumentException>(() => _task.Run(Request(TaskVerb.Test, []))).Message);
        Assert.Contains("--history", Assert.Throws<ArgumentException>(() => _task.Run(Request(TaskVerb.Test, ["vp.lr"], options: new() { ["history"] = "ten" }))).Message);
        Assert.Contains("unknown viewport dataset 'Foo'", Assert.Throws<ArgumentException>(() => _task.Run(Request(TaskVerb.Test, ["vp.lr"], options: new() { ["dataset"] = "Foo" }))).Message);
        Assert.Contains("unknown vp setting", Assert.Throws<ArgumentException>(() => _task.Run(Request(TaskVerb.Test, ["vp.lr"], "unseen-9"))).Message);
        Assert.Contains("unknown viewer 99", Assert.Throws<ArgumentException>(() => _task.Run(Request(TaskVerb.Test, ["vp.lr"], options: new() { ["viewers"] = "1,99" }))).Message);
        Assert.Contains("experience pool", Assert.Throws<NotSupportedException>(() => _task.Run(Request(TaskVerb.Collect, ["vp.lr"]))).Message);
    }

    [Fact]
    public void Bench_MeasuresLoadingAndPredictionThroughput()
    {
        var report = _task.Run(Request(TaskVerb.Bench, [], options: new() { ["limit"] = "300", ["repeats"] = "1" }));
        var json = report.Json;
        Assert.Equal(2268, (int)json["load_all"]!["files"]!);
        Assert.True((double)json["load_all"]!["best_s"]! > 0);
        var policies = json["policies"]!.AsArray();
        Assert.Equal(new[] { "vp.lr", "vp.velocity", "vp.hold" }, policies.Select(p => (string)p!["policy"]!));
        Assert.All(policies, p => Assert.Equal(300, (int)p!["n_samples"]!));
        Assert.All(policies, p => Assert.True((double)p!["samples_per_s"]! > 0));
        Assert.Equal(1, (int)json["seed"]!);
        Assert.Equal(4, report.Summary.Count);
        Assert.Contains("no loaded backbone plugin has the preset 'llama-tiny-2x256'", (string)json["netllm_model"]!["skipped"]!);
    }

    private sealed class OtherTaskProvider : ILegacyPolicyProvider
    {
        public string Id => "abr.other";

        public string TaskId => "abr";

        public string Description => "a policy of another task";

        public Type ObservationType => typeof(object);

        public Type ActionType => typeof(int);

        public object Create(PolicyRequest request) => new object();
    }
}
