using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Adaptation.Tests.Toy;
using NetLlm.Core.Adaptation;
using static TorchSharp.torch;

namespace NetLlm.Adaptation.Tests;

public sealed class SupervisedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netllm-sup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SmallSupervisedRun_ReachesTheLossThreshold_AndTheRunLoadsForPrediction()
    {
        var train = ToySeriesData.Make(256, 1);
        var valid = ToySeriesData.Make(64, 2);
        var request = new TaskRequest
        {
            Verb = TaskVerb.Adapt,
            Seed = 3,
            Output = Path.Combine(_dir, "run"),
            Registry = TestBackbones.Registry(),
            Arguments = new TaskArguments(new Dictionary<string, string>
            {
                ["backbone"] = TestBackbones.LlamaPreset,
                ["rank"] = "8",
                ["epochs"] = "12",
                ["batch-size"] = "16",
                ["lr"] = "3e-3",
                ["warmup-steps"] = "5",
                ["grad-clip"] = "1.0",
                ["lora-dropout"] = "0",
            }),
        };
        SupervisedTaskVerbs.ModelFactory<ToySeries> factory = (d, _) => new ToyRegressionModel(d);
        var report = SupervisedTaskVerbs.Adapt("toy-series", factory, train, valid, new JsonObject { ["dataset"] = "toy" }, request);

        var best = report.Json["result"]!["best_valid_loss"]!.GetValue<double>();
        var variance = valid.Select(s => (double)s.Next * s.Next).Average();
        Assert.True(best < 0.05 * variance, $"best valid MSE {best:0.0000} vs target variance {variance:0.0000}");

        using var loaded = SupervisedTaskVerbs.Load(Path.Combine(_dir, "run"), "toy-series", factory, request);
        using var prediction = loaded.Predict(valid);
        using var target = tensor(valid.Select(s => s.Next).ToArray()).view(-1, 1);
        var mse = nn.functional.mse_loss(prediction, target).item<float>();
        Assert.Equal(best, mse, 3);
    }
}
