using NetLlm.Abstractions.Tasks;
using NetLlm.Adaptation.Tests.Toy;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Core.IO;
using NetLlm.Core.Plugins;

namespace NetLlm.Adaptation.Tests;

/// <summary>The engine's prediction verbs on a task written against the typed contracts (the toy series).</summary>
public sealed class SupervisedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netllm-sup-").FullName;
    private readonly ToySeriesTask _task = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private VerbRequest Request(TaskVerb verb, string? output = null, params string[] policies) => new()
    {
        Task = _task,
        Context = new TaskContext { Verb = verb, Seed = 3 },
        Registry = new PluginRegistry(tasks: [_task], backbones: TestBackbones.Registry().Backbones),
        Output = output,
        Policies = policies,
        Adaptation = new AdaptationOptions
        {
            BackbonePreset = TestBackbones.LlamaPreset,
            Rank = 8,
            Epochs = 12,
            BatchSize = 16,
            LearningRate = 3e-3,
            WarmupSteps = 5,
            GradClip = 1.0,
            LoraDropout = 0,
        },
    };

    [Fact]
    public void SmallSupervisedRun_ReachesTheLossThreshold_AndTheRunTestsWithItsBestValidationLoss()
    {
        var run = Path.Combine(_dir, "run");
        var adapt = TaskEngine.Run(Request(TaskVerb.Adapt, run));
        var best = adapt.Runs[0].Details!["result"]!["best_valid_loss"]!.GetValue<double>();
        var valid = ToySeriesData.Make(64, 2);
        var variance = valid.Select(s => (double)s.Next * s.Next).Average();
        Assert.True(best < 0.05 * variance, $"best valid MSE {best:0.0000} vs target variance {variance:0.0000}");
        using (var weights = SafetensorsFile.Open(Path.Combine(run, "model.safetensors")))
        {
            Assert.Equal(["embed.bias", "embed.weight", "head.bias", "head.weight"], weights.Entries.Keys.Order(StringComparer.Ordinal));
        }

        var test = TaskEngine.Run(Request(TaskVerb.Test, policies: run));
        Assert.Equal(best, test.Runs[0].Metric!.Value, 3);
        Assert.Equal(64, test.Runs[0].Score!.Items.Count);
        Assert.Equal("prediction", new RunDirectory(run).ReadManifest()["kind"]!.GetValue<string>());
    }
}
