using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Tasks;
using NetLlm.Backbones.Llama;
using NetLlm.Baselines.Viewport;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Plugins;
using NetLlm.Tasks.ViewportPrediction.Model;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using NetLlm.Testing;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Task;

public sealed class ViewportAdaptationTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ViewportPredictionTask _task = new();
    private readonly PluginRegistry _registry;

    public ViewportAdaptationTests()
    {
        _registry = new PluginRegistry(legacyTasks: [_task], legacyPolicies: [new LinearRegressionProvider()], backbones: [new LlamaProvider()]);
    }

    public void Dispose() => _temp.Dispose();

    private TaskRequest Request(TaskVerb verb, string[] policies, Dictionary<string, string> options, string? output = null) => new()
    {
        Verb = verb,
        Policies = policies,
        Arguments = new TaskArguments(options),
        DataRoot = VpData.DataRoot,
        Output = output,
        Seed = 3,
        Registry = _registry,
    };

    [Fact]
    public void Adapt_WritesARunThatTestsLikeAPolicy()
    {
        var run = Path.Combine(_temp.Path, "run");
        var adapt = _task.Run(Request(TaskVerb.Adapt, [], new()
        {
            ["backbone"] = "llama-tiny-2x256",
            ["rank"] = "4",
            ["epochs"] = "2",
            ["batch-size"] = "8",
            ["warmup-steps"] = "0",
            ["lr"] = "1e-3",
            ["videos"] = "1",
            ["viewers"] = "50",
            ["model-settings"] = "mix_rate=0.5",
            ["valid-samples"] = "6",
        }, run));
        var json = adapt.Json;
        Assert.Equal("completed", (string)json["status"]!);
        Assert.Equal(14, (int)json["data"]!["train_samples"]!);
        Assert.Equal(2 * 2, (long)json["result"]!["steps"]!);
        var best = (double)json["result"]!["best_valid_loss"]!;
        var evaluations = new RunDirectory(run).ReadMetrics().Where(m => m.ContainsKey("eval")).Select(m => -(double)m["eval"]!).ToList();
        Assert.Equal(2, evaluations.Count);
        Assert.Equal(evaluations.Min(), best, 9);
        Assert.True(File.Exists(Path.Combine(run, RunDirectory.ModelFile)));
        Assert.True(Directory.Exists(Path.Combine(run, RunDirectory.AdapterFolder)));
        var manifest = new RunDirectory(run).ReadManifest();
        Assert.Equal(("vp", "prediction", "0.5"), ((string)manifest["task"]!, (string)manifest["kind"]!, (string)manifest["adaptation"]!["model_settings"]!["mix_rate"]!));
        Assert.Equal(14, (int)manifest["data"]!["train_samples"]!);

        var test = _task.Run(Request(TaskVerb.Test, [run], new() { ["limit"] = "12", ["batch-size"] = "6" }));
        Assert.Equal(12, (int)test.Json["n_samples"]!);
        Assert.InRange(test.Metric!.Value, 0.5, 200);
        Assert.Equal(run, (string)test.Json["policy_info"]!["run_dir"]!);

        var again = _task.Run(Request(TaskVerb.Test, [run], new() { ["limit"] = "12", ["batch-size"] = "5" }));
        Assert.Equal(test.Metric!.Value, again.Metric!.Value, 3);

        Assert.Contains("already holds a run", Assert.Throws<ArgumentException>(() => _task.Run(Request(TaskVerb.Adapt, [], new() { ["videos"] = "1", ["viewers"] = "50" }, run))).Message);
        Assert.Contains("mix_rate", Assert.Throws<ArgumentException>(() => _task.Run(Request(TaskVerb.Adapt, [], new() { ["model-settings"] = "mix_rate=7" }, Path.Combine(_temp.Path, "bad")))).Message);
    }

    [Fact]
    public void Bench_MeasuresTheNetLlmModelWithAndWithoutTheKvCache()
    {
        var report = _task.Run(Request(TaskVerb.Bench, [], new() { ["limit"] = "40", ["repeats"] = "1", ["bench-model-samples"] = "8", ["batch-size"] = "8" }));
        var model = report.Json["netllm_model"]!;
        Assert.Equal(("llama-tiny-2x256", 8, 256, 2), ((string)model["backbone"]!, (int)model["n_samples"]!, (int)model["hidden_size"]!, (int)model["layers"]!));
        Assert.True((double)model["kv_cache_samples_per_s"]! > 0);
        Assert.Equal((double)model["recompute_best_s"]! / (double)model["kv_cache_best_s"]!, (double)model["kv_cache_speedup"]!, 9);
        Assert.Contains(report.Summary, line => line.StartsWith("NetLLM VP model on llama-tiny-2x256", StringComparison.Ordinal));
    }

    [Fact]
    public void RunDirectoryOfAnotherTask_IsRejected()
    {
        var run = new RunDirectory(Path.Combine(_temp.Path, "abr-run"));
        Directory.CreateDirectory(run.Path);
        run.WriteManifest(new System.Text.Json.Nodes.JsonObject { ["task"] = "abr", ["kind"] = "decision", ["status"] = "completed" });
        var e = Assert.Throws<ArgumentException>(() => _task.Run(Request(TaskVerb.Test, [run.Path], [])));
        Assert.Contains("of task 'abr'", e.Message);
        var empty = Path.Combine(_temp.Path, "empty");
        Directory.CreateDirectory(empty);
        Assert.Contains("not a run directory", Assert.Throws<ArgumentException>(() => _task.Run(Request(TaskVerb.Test, [empty], []))).Message);
    }

    [Fact]
    public void LlamaBackbone_PredictWithKvCache_EqualsRecomputing()
    {
        using var backbone = BackboneFactory.FromPreset(_registry, "llama-tiny-2x256", "float32", seed: 5);
        Assert.Equal(PositionEncoding.Rotary, backbone.PositionEncoding);
        backbone.Module.eval();
        random.manual_seed(6);
        using var model = new VpModel(backbone.HiddenSize);
        var batch = Enumerable.Range(0, 3).Select(i => VpData.Synthetic(10, 20, i)).ToList();
        using var cached = model.Predict(backbone, batch);
        using var recomputed = model.PredictRecomputing(backbone, batch);
        var difference = (cached - recomputed).abs().max().item<float>();
        Assert.True(difference < 1e-2f, $"max difference {difference} deg");
        Assert.Equal(new long[] { 3, 20, 3 }, cached.shape);
    }
}
