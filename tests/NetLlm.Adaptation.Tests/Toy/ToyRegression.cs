using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Models;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Adaptation.Tests.Toy;

/// <summary>A sample of the toy prediction task: a noisy sine history; predict the next value.</summary>
public sealed record ToySeries(float[] History, float Next);

/// <summary>Options of the toy prediction task.</summary>
public sealed record ToySeriesOptions
{
    [Option("training samples", Minimum = 1, Maximum = 100_000)]
    public int TrainSamples { get; init; } = 256;

    [Option("validation and test samples", Minimum = 1, Maximum = 100_000)]
    public int TestSamples { get; init; } = 64;
}

/// <summary>
/// The toy prediction task through the typed contract: samples are generated, the metric is the mean squared error,
/// each history value becomes one token (<c>embed</c>, the model's own module), a bounded head predicts the next value
/// from the last position.
/// </summary>
public sealed class ToySeriesTask : IPredictionTask<ToySeries, float[], float, ToySeriesOptions, NoOptions>
{
    public TaskInfo Info { get; } = new()
    {
        Id = "toy-series",
        Title = "Toy series",
        Kind = TaskKind.Prediction,
        Metric = new MetricInfo("mse", string.Empty, false, "mean squared error") { ItemLabel = "sample" },
    };

    public IReadOnlyList<ITaskSetting> Settings { get; } = [];

    public PredictionData<ToySeries> Load(ToySeriesOptions options, DataSplit split, TaskContext context) => split switch
    {
        DataSplit.Train => new(ToySeriesData.Make(options.TrainSamples, 1), new() { ["split"] = "train" }),
        DataSplit.Valid => new(ToySeriesData.Make(options.TestSamples, 2), new() { ["split"] = "valid" }),
        _ => new(ToySeriesData.Make(options.TestSamples, 2), new() { ["split"] = "test" }),
    };

    public float[] InputOf(ToySeries sample) => sample.History;

    public RunScore Score(IReadOnlyList<ToySeries> samples, IReadOnlyList<float> predictions, ScoringContext context)
    {
        var items = samples.Select((s, i) => new ScoredItem($"sample {i}", (double)(predictions[i] - s.Next) * (predictions[i] - s.Next))).ToList();
        return new RunScore { Metric = items.Average(i => i.Value), Items = items };
    }

    public PredictionModelDesign<ToySeries, float[], float> DesignModel(NoOptions options) => new()
    {
        Encoders = [],
        Heads = [new HeadSlot("head", HeadKind.Bounded, 1, "the next value")],
        CreateModel = context => new ToyRegressionModel(context),
    };
}

/// <summary>The toy prediction model: Linear(1, d) per history value, the backbone, the bounded head at the last position.</summary>
public sealed class ToyRegressionModel : ISupervisedModel<ToySeries, float[], float>
{
    private readonly Linear _embed;
    private readonly ModelContext _context;

    public ToyRegressionModel(ModelContext context)
    {
        _context = context;
        _embed = nn.Linear(1, context.EmbeddingDim);
        Modules = [new("embed", _embed)];
    }

    public IReadOnlyList<KeyValuePair<string, nn.Module>> Modules { get; }

    public Tensor TrainingLoss(IBackbone backbone, IReadOnlyList<ToySeries> batch, Random random)
    {
        using var scope = NewDisposeScope();
        var prediction = Forward(backbone, batch.Select(s => s.History).ToList());
        var target = tensor(batch.Select(s => s.Next).ToArray()).view(-1, 1);
        return nn.functional.mse_loss(prediction, target).MoveToOuterDisposeScope();
    }

    public double ValidationLoss(IBackbone backbone, IReadOnlyList<ToySeries> batch)
    {
        using var loss = TrainingLoss(backbone, batch, new Random(0));
        return loss.item<float>();
    }

    public IReadOnlyList<float> Predict(IBackbone backbone, IReadOnlyList<float[]> inputs)
    {
        using var prediction = Forward(backbone, inputs);
        return prediction.data<float>().ToArray();
    }

    public void Dispose()
    {
    }

    private Tensor Forward(IBackbone backbone, IReadOnlyList<float[]> histories)
    {
        using var scope = NewDisposeScope();
        var length = histories[0].Length;
        var x = tensor(histories.SelectMany(h => h).ToArray()).view(histories.Count, length, 1);
        using var output = backbone.Forward(new BackboneInput { InputsEmbeds = _embed.forward(x) });
        var last = output.LastHiddenState[.., ^1, ..];
        return _context.Head("head").Forward(last).MoveToOuterDisposeScope();
    }
}

/// <summary>Makes toy series: sin(f·t + φ) · 0.8 with small noise.</summary>
public static class ToySeriesData
{
    public static List<ToySeries> Make(int count, int seed)
    {
        var random = new Random(seed);
        var list = new List<ToySeries>(count);
        for (var i = 0; i < count; i++)
        {
            var f = 0.3 + (random.NextDouble() * 0.5);
            var phase = random.NextDouble() * Math.Tau;
            var values = Enumerable.Range(0, 9).Select(t => (float)(0.8 * Math.Sin((f * t) + phase))).ToArray();
            list.Add(new ToySeries(values[..8], values[8]));
        }

        return list;
    }
}
