using NetLlm.Abstractions.Backbones;
using NetLlm.Core.Adaptation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Adaptation.Tests.Toy;

/// <summary>A sample of the toy prediction task: a noisy sine history; predict the next value.</summary>
public sealed record ToySeries(float[] History, float Next);

/// <summary>
/// The toy prediction model: each history value becomes one token (Linear(1, d)), the backbone reads the sequence,
/// a Linear(d, 1) + Tanh head predicts the next value from the last position.
/// </summary>
public sealed class ToyRegressionModel : nn.Module, ISupervisedModel<ToySeries>
{
#pragma warning disable IDE1006
    private readonly Linear embed;
    private readonly Linear head;
#pragma warning restore IDE1006

    public ToyRegressionModel(int d)
        : base("ToyRegressionModel")
    {
        embed = nn.Linear(1, d);
        head = nn.Linear(d, 1);
        RegisterComponents();
    }

    public nn.Module Module => this;

    public Tensor TrainingLoss(IBackbone backbone, IReadOnlyList<ToySeries> batch, Random random)
    {
        using var scope = NewDisposeScope();
        var prediction = Forward(backbone, batch);
        var target = tensor(batch.Select(s => s.Next).ToArray()).view(-1, 1);
        return nn.functional.mse_loss(prediction, target).MoveToOuterDisposeScope();
    }

    public Tensor Predict(IBackbone backbone, IReadOnlyList<ToySeries> batch) => Forward(backbone, batch);

    public double ValidationLoss(IBackbone backbone, IReadOnlyList<ToySeries> batch)
    {
        using var loss = TrainingLoss(backbone, batch, new Random(0));
        return loss.item<float>();
    }

    private Tensor Forward(IBackbone backbone, IReadOnlyList<ToySeries> batch)
    {
        using var scope = NewDisposeScope();
        var length = batch[0].History.Length;
        var x = tensor(batch.SelectMany(s => s.History).ToArray()).view(batch.Count, length, 1);
        using var output = backbone.Forward(new BackboneInput { InputsEmbeds = embed.forward(x) });
        var last = output.LastHiddenState[.., ^1, ..];
        return head.forward(last).tanh().MoveToOuterDisposeScope();
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
