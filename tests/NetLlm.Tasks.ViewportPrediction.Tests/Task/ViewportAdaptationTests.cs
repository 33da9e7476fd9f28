using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Core.IO;
using NetLlm.Core.Options;
using NetLlm.Tasks.ViewportPrediction.Model;
using NetLlm.Tasks.ViewportPrediction.Policies;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using NetLlm.Testing;
using static NetLlm.Tasks.ViewportPrediction.Tests.Support.VpPlugins;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Task;

/// <summary>Adapt through the engine: the run directory, its model options and encoders, and testing it like a policy.</summary>
public sealed class ViewportAdaptationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static AdaptationOptions Adaptation(int epochs) => new()
    {
        BackbonePreset = "llama-tiny-2x256",
        Rank = 4,
        Epochs = epochs,
        BatchSize = 8,
        WarmupSteps = 0,
        LearningRate = 1e-3,
    };

    private static VerbRequest Adapt(string run, IReadOnlyList<OptionInput> model, int epochs = 2) =>
        Request(TaskVerb.Adapt, [], options: [In("videos", "1"), In("viewers", "50"), In("valid-samples", 6)], seed: 3) with
        {
            Adaptation = Adaptation(epochs),
            ModelOptions = model,
            Output = run,
        };

    [DataFact("vp")]
    public void Adapt_WritesARunThatTestsLikeAPolicy()
    {
        var run = Path.Combine(_temp.Path, "run");
        var adapt = TaskEngine.Run(Adapt(run, [In("mix-rate", 0.5)]));
        var details = adapt.Runs[0].Details!;
        Assert.Equal("completed", (string)details["status"]!);
        Assert.Equal(2 * 2, (long)details["result"]!["steps"]!);
        var best = (double)details["result"]!["best_valid_loss"]!;
        var evaluations = new RunDirectory(run).ReadMetrics().Where(m => m.ContainsKey("eval")).Select(m => -(double)m["eval"]!).ToList();
        Assert.Equal(2, evaluations.Count);
        Assert.Equal(evaluations.Min(), best, 9);
        var manifest = new RunDirectory(run).ReadManifest();
        Assert.Equal(("vp", "prediction", 0.5), ((string)manifest["task"]!, (string)manifest["kind"]!, (double)manifest["model"]!["options"]!["mix-rate"]!));
        Assert.Equal(("encoder.series-cnn", 256, 3), ((string)manifest["model"]!["encoders"]!["vp_encoder"]!["id"]!, (int)manifest["model"]!["encoders"]!["vp_encoder"]!["options"]!["channels"]!, (int)manifest["model"]!["encoders"]!["vp_encoder"]!["options"]!["kernel"]!));
        Assert.Equal((14, 6), ((int)manifest["data"]!["train"]!["samples"]!, (int)manifest["data"]!["valid"]!["samples"]!));
        using (var weights = SafetensorsFile.Open(Path.Combine(run, RunDirectory.ModelFile)))
        {
            Assert.Equal(
                ["embed_ln.bias", "embed_ln.weight", "embed_multimodal.bias", "embed_multimodal.weight", "networking_head.bias", "networking_head.weight", "vp_encoder.conv.bias", "vp_encoder.conv.weight", "vp_encoder.proj.bias", "vp_encoder.proj.weight"],
                weights.Entries.Keys.Order(StringComparer.Ordinal));
        }

        var test = TaskEngine.Run(Request(TaskVerb.Test, [run], policyOptions: [In("limit", 12), In("batch-size", 6)]));
        Assert.Equal(12, test.Runs[0].Score!.Items.Count);
        Assert.InRange(test.Runs[0].Metric!.Value, 0.5, 200);
        Assert.Equal(run, (string)test.Runs[0].Details!["policy_info"]!["run_dir"]!);
        var again = TaskEngine.Run(Request(TaskVerb.Test, [run], policyOptions: [In("limit", 12), In("batch-size", 5)]));
        Assert.Equal(test.Runs[0].Metric!.Value, again.Runs[0].Metric!.Value, 3);

        Assert.Contains("already holds a run", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Adapt(run, []))).Message);
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Adapt(Path.Combine(_temp.Path, "bad"), [In("mix-rate", 7.0)]))).Message);
    }

    [Fact]
    public void Adapt_SameOptionsAndSeed_GiveTheSameWeights()
    {
        var a = Path.Combine(_temp.Path, "a");
        var b = Path.Combine(_temp.Path, "b");
        TaskEngine.Run(Adapt(a, [In("freeze-vp-conv", true)], epochs: 1));
        TaskEngine.Run(Adapt(b, [In("freeze-vp-conv", true)], epochs: 1));
        using var first = SafetensorsFile.Open(Path.Combine(a, RunDirectory.ModelFile));
        using var second = SafetensorsFile.Open(Path.Combine(b, RunDirectory.ModelFile));
        foreach (var name in first.Entries.Keys)
        {
            Assert.Equal(first.ReadBytes(name), second.ReadBytes(name));
        }

        var manifest = new RunDirectory(a).ReadManifest();
        Assert.True((bool)manifest["model"]!["options"]!["freeze-vp-conv"]!);
    }

    [Fact]
    public void LlamaBackbone_PredictWithKvCache_EqualsRecomputing()
    {
        using var backbone = BackboneFactory.FromPreset(Registry(), "llama-tiny-2x256", "float32", seed: 5);
        Assert.Equal(PositionEncoding.Rotary, backbone.PositionEncoding);
        backbone.Module.eval();
        using var model = VpPlugins.Model(backbone.HiddenSize, seed: 6);
        var inputs = Enumerable.Range(0, 3).Select(i => VpHistory.From(VpData.Synthetic(10, 20, i))).ToList();
        var vp = (VpModel)model.Model;
        using var cached = vp.PredictDegrees(backbone, inputs);
        using var recomputed = vp.PredictRecomputing(backbone, inputs);
        var difference = (cached - recomputed).abs().max().item<float>();
        Assert.True(difference < 1e-2f, $"max difference {difference} deg");
        Assert.Equal([3L, 20, 3], cached.shape);
    }

    [DataFact("vp")]
    public void RunDirectoryOfAnotherTask_IsRejected()
    {
        var run = new RunDirectory(Path.Combine(_temp.Path, "abr-run"));
        Directory.CreateDirectory(run.Path);
        run.WriteManifest(new System.Text.Json.Nodes.JsonObject { ["format"] = "netllm-run", ["task"] = "abr", ["kind"] = "decision", ["status"] = "completed" });
        var e = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, [run.Path])));
        Assert.Contains("the run adapted task 'abr', not 'vp'", e.Message);
    }
}
