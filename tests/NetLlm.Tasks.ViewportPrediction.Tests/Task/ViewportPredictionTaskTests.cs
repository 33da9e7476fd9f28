using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.Track;
using NetLlm.Core.Engine;
using NetLlm.Core.Plugins;
using NetLlm.Tasks.ViewportPrediction.Options;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using NetLlm.Testing;
using TorchSharp;
using static NetLlm.Tasks.ViewportPrediction.Tests.Support.VpPlugins;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Task;

/// <summary>The task through the engine: test, settings, options, policies, errors and the benchmark.</summary>
public sealed class ViewportPredictionTaskTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [DataFact("vp")]
    public void Info_DeclaresMetricSettingsBaselinesAndData()
    {
        var info = VpPlugins.Task.Info;
        Assert.Equal(("vp", TaskKind.Prediction), (info.Id, info.Kind));
        Assert.Equal(("mae_deg", "deg", false, "MAE", "sample"), (info.Metric.Name, info.Metric.Unit, info.Metric.HigherIsBetter, info.Metric.Label, info.Metric.ItemLabel));
        Assert.Equal(["roll", "pitch", "yaw"], info.Metric.Components.Select(c => c.Name));
        Assert.Equal(["vp.lr", "vp.velocity", "vp.track", "vp.hold"], info.Baselines);
        Assert.Equal(["vp/viewports/Jin2022", "vp/viewports/Wu2017", "vp/README.md"], info.Data.Select(d => d.RelativePath));
        Assert.Equal([2268, 864, 1], info.Data.Select(d => d.Files.Count));
        Assert.All(info.Data.Take(2), d => Assert.True(d.Recursive));
        Assert.Equal((true, false), (info.Data[0].Required, info.Data[1].Required));
        Assert.Null(info.Data[0].Validate!(Path.Combine(VpData.DataRoot, "vp", "viewports", "Jin2022", "video1", "5Hz", "simple_5Hz_user1.csv")));
        var shape = TaskShape.Of(VpPlugins.Task);
        Assert.Equal((typeof(VpOptions), typeof(ViewportPrediction.Model.VpModelOptions)), (shape.OptionsType, shape.ModelOptionsType));
        Assert.True(TaskEngine.HasBenchmark(VpPlugins.Task));
    }

    [DataFact("vp")]
    public void Test_DefaultSetting_ScoresEverySampleWithTheOriginalsBreakdowns()
    {
        var result = TaskEngine.Run(Request(TaskVerb.Test, ["vp.velocity"]));
        var run = result.Runs[0];
        Assert.Equal(("default", 1), (result.Setting, result.Seed));
        Assert.Equal(17.499853203907524, run.Metric);
        Assert.Equal(1698, run.Score!.Items.Count);
        Assert.Equal("Jin2022 video 4 viewer 83 t=30", run.Score.Items[0].Name);
        Assert.Equal(run.Metric!.Value, run.Score.Items.Average(i => i.Value), 9);
        var details = run.Score.Details!;
        var axes = details["per_axis_mae_deg"]!.AsObject();
        Assert.Equal((double)axes["yaw"]!, run.Score.Components["yaw"]);
        Assert.Equal(run.Metric!.Value, (run.Score.Components["roll"] + run.Score.Components["pitch"] + run.Score.Components["yaw"]) / 3, 9);
        Assert.Equal((6, 21, 126, 20), (details["per_video"]!.AsArray().Count, details["per_viewer"]!.AsArray().Count, details["per_video_viewer"]!.AsArray().Count, details["per_step_mae_deg"]!.AsArray().Count));
        Assert.True((double)details["rmse_deg_unwrapped"]! > (double)details["rmse_deg"]!);
        var data = run.Details!["data"]!;
        Assert.Equal(("Jin2022", "test", 10, 20, 30, 60, 15, 126), ((string)data["dataset"]!, (string)data["split"]!, (int)data["history"]!, (int)data["future"]!, (int)data["trim_head"]!, (int)data["trim_tail"]!, (int)data["step"]!, (int)data["files"]!));
        var json = result.ToJson();
        Assert.Equal("Jin2022", (string)json["options"]!["dataset"]!);
        Assert.Equal("test", (string)json["options"]!["split"]!);
        Assert.Equal("MAE", (string)json["metric"]!["label"]!);
    }

    [DataFact("vp")]
    public void Settings_AreTypedPresets_AndExplicitOptionsWin()
    {
        var unseen = TaskEngine.Run(Request(TaskVerb.Test, ["vp.lr"], "unseen-2", policyOptions: [In("limit", 100)]));
        Assert.Equal(("unseen-2", 100, "Wu2017"), (unseen.Setting, unseen.Runs[0].Score!.Items.Count, (string)unseen.Runs[0].Details!["data"]!["dataset"]!));
        var custom = TaskEngine.Run(Request(TaskVerb.Test, ["vp.lr"], options: [In("future", 25)], policyOptions: [In("limit", 10)]));
        Assert.Equal(("custom", 25), (custom.Setting, (int)custom.Runs[0].Details!["data"]!["future"]!));
        var overridden = TaskEngine.Run(Request(TaskVerb.Test, ["vp.lr"], "unseen-1", options: [In("future", 5)], policyOptions: [In("limit", 10)]));
        Assert.Equal(("unseen-1", 5), (overridden.Setting, (int)overridden.Runs[0].Details!["data"]!["future"]!));
        var explicitData = TaskEngine.Run(Request(TaskVerb.Test, ["vp.hold"], options: [In("videos", "4"), In("viewers", "83,15"), In("split", "test")]));
        Assert.Equal(28, explicitData.Runs[0].Score!.Items.Count);
    }

    [DataFact("vp")]
    public void Test_SeveralPolicies_ReportEachInOneShape()
    {
        var result = TaskEngine.Run(Request(TaskVerb.Test, ["vp.lr", "vp.velocity"], policyOptions: [In("limit", 200)]));
        Assert.Equal(["vp.lr", "vp.velocity"], result.Runs.Select(r => r.Policy));
        Assert.NotEqual(result.Runs[0].Metric, result.Runs[1].Metric);
        Assert.All(result.Runs, r => Assert.Equal(200, r.Score!.Items.Count));
    }

    [DataFact("vp")]
    public void Track_LoadsAModelDirectory_AndItsOptionsAreTyped()
    {
        torch.random.manual_seed(3);
        using var model = new TrackModel();
        var directory = Path.Combine(_temp.Path, "track");
        TrackCheckpoint.Save(directory, model, new TrackConfig { Epochs = 1 });
        var result = TaskEngine.Run(Request(TaskVerb.Test, ["vp.track"], policyOptions: [In("track-model", directory), In("limit", 70), In("batch-size", 32)]));
        Assert.Equal(70, result.Runs[0].Score!.Items.Count);
        Assert.True(double.IsFinite(result.Runs[0].Metric!.Value));
        Assert.Equal(1, (int)result.Runs[0].Details!["policy_info"]!["epochs"]!);
        var missing = Assert.Throws<FileNotFoundException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["vp.track"], policyOptions: [In("track-model", "no/such/track")])));
        Assert.Contains("option --track-model", missing.Message);
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["vp.track"], policyOptions: [In("track-epochs", 0)]))).Message);
    }

    [DataFact("vp")]
    public void Track_WithoutAModel_TrainsOnTheTasksTrainSplit_SavesAndReportsItsTraining()
    {
        var save = Path.Combine(_temp.Path, "trained");
        var result = TaskEngine.Run(Request(TaskVerb.Test, ["vp.track"], policyOptions:
        [
            In("track-epochs", 1), In("track-train-samples", 64), In("track-batch", 32), In("track-save", save), In("limit", 20),
        ]));
        var info = result.Runs[0].Details!["policy_info"]!;
        Assert.Equal((1, 64, 1754, 1, false, "Jin2022", 20), ((int)info["epochs"]!, (int)info["train_samples"]!, (int)info["valid_samples"]!, (int)info["seed"]!, (bool)info["original_loss"]!, (string)info["train_dataset"]!, (int)info["future"]!));
        var reloaded = TaskEngine.Run(Request(TaskVerb.Test, ["vp.track"], policyOptions: [In("track-model", save), In("limit", 20)]));
        Assert.Equal(result.Runs[0].Metric, reloaded.Runs[0].Metric);

        // The task's options choose what TRACK trains on: the unseen-1 windows (future 25) and 30 validation samples.
        var unseen = TaskEngine.Run(Request(TaskVerb.Test, ["vp.track"], "unseen-1", options: [In("valid-samples", 30)], policyOptions:
            [In("track-epochs", 1), In("track-train-samples", 32), In("limit", 5)]));
        var unseenInfo = unseen.Runs[0].Details!["policy_info"]!;
        Assert.Equal((25, 30), ((int)unseenInfo["future"]!, (int)unseenInfo["valid_samples"]!));
    }

    [DataFact("vp")]
    public void BadPoliciesAndOptions_AreClearErrors()
    {
        Assert.Contains("unknown policy 'vp.nope'", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["vp.nope"]))).Message);
        var withOther = Request(TaskVerb.Test, ["abr.other"]) with { Registry = new PluginRegistry(tasks: [VpPlugins.Task], policies: [new OtherTaskProvider()]) };
        Assert.Contains("belongs to task 'abr', not 'vp'", Assert.Throws<ArgumentException>(() => TaskEngine.Run(withOther)).Message);
        Assert.Contains("not an adapted run directory", Assert.Throws<FileNotFoundException>(() => TaskEngine.Run(Request(TaskVerb.Test, [_temp.Path]))).Message);
        Assert.Contains("vp test: no policy given", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, []))).Message);
        Assert.Contains("option --dataset: unknown viewport dataset 'Foo'", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["vp.lr"], options: [In("dataset", "Foo")]))).Message);
        Assert.Contains("settings: default, unseen-1, unseen-2, unseen-3", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["vp.lr"], "unseen-9"))).Message);
        Assert.Contains("unknown viewer 99", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["vp.lr"], options: [In("viewers", "1,99")]))).Message);
        Assert.Contains("--trim-head", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["vp.lr"], options: [In("history", 40)]))).Message);
        Assert.Contains("is not an integer", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["vp.lr"], options: [In("history", "ten")]))).Message);
        Assert.Contains("give one", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["vp.lr"], options: [In("image-features", "a"), In("frames", "b")]))).Message);
        Assert.Contains("no experience to collect", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Collect, ["vp.lr"]))).Message);
    }

    [DataFact("vp")]
    public void Bench_MeasuresLoadingBaselinesAndTheNetLlmModel()
    {
        var json = TaskEngine.Bench(Request(TaskVerb.Bench, [], options: [In("bench-samples", 300), In("repeats", 1), In("bench-model-samples", 8), In("bench-batch-size", 8)]), quick: false);
        Assert.Equal(2268, (int)json["load_all"]!["files"]!);
        Assert.True((double)json["load_all"]!["best_s"]! > 0);
        var policies = json["policies"]!.AsArray();
        Assert.Equal(["vp.lr", "vp.velocity", "vp.hold"], policies.Select(p => (string)p!["policy"]!));
        Assert.All(policies, p => Assert.Equal(300, (int)p!["n_samples"]!));
        Assert.All(policies, p => Assert.True((double)p!["samples_per_s"]! > 0));
        Assert.Equal(1, (int)json["seed"]!);
        var model = json["netllm_model"]!;
        Assert.Equal(("llama-tiny-2x256", 8, 256, 2), ((string)model["backbone"]!, (int)model["n_samples"]!, (int)model["hidden_size"]!, (int)model["layers"]!));
        Assert.Equal((double)model["recompute_best_s"]! / (double)model["kv_cache_best_s"]!, (double)model["kv_cache_speedup"]!, 9);

        var bare = VpPlugins.Task.RunBenchmark(new VpOptions { BenchSamples = 10, Repeats = 1 }, new TaskContext { DataRoot = VpData.DataRoot, Seed = 1 }, quick: true);
        Assert.Empty(bare["policies"]!.AsArray());
        Assert.Contains("no plugins", (string)bare["skipped"]!);
        Assert.Contains("no loaded backbone plugin", (string)bare["netllm_model"]!["skipped"]!);
    }

    private sealed class OtherTaskProvider : IPolicyProvider<object, int, NoOptions>
    {
        public string Id => "abr.other";

        public string TaskId => "abr";

        public string Description => "a policy of another task";

        public IPolicy<object, int> Create(PolicyContext context, NoOptions options) => throw new InvalidOperationException("never created");
    }
}
