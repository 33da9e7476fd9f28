using NetLlm.Abstractions.Backbones;
using NetLlm.Core.Adaptation;
using Sample.NetLlmTask.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Sample.NetLlmTask.Model;

/// <summary>
/// The NetLLM model of the task: the history encoder turns throughputs into tokens, the backbone reads them, and the
/// head predicts the next throughput from the hidden state of the last token. Longer horizons are predicted one step
/// at a time, each prediction appended to the input (training uses the true values instead: teacher forcing, all
/// horizon steps in one causal pass). Owns the encoder and head; the backbone is borrowed.
/// </summary>
public sealed class ThroughputModel : nn.Module, ISupervisedModel<ThroughputWindow>
{
    private readonly ThroughputHistoryEncoder encoder;
    private readonly ThroughputHead head;
    private readonly float _scale;

    /// <summary>Creates the model for a backbone of width <paramref name="embeddingDim"/>.</summary>
    /// <param name="embeddingDim">Backbone hidden size.</param>
    /// <param name="settings">Model settings.</param>
    public ThroughputModel(int embeddingDim, ThroughputModelSettings settings)
        : base(nameof(ThroughputModel))
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _scale = (float)settings.ScaleMbps;
        encoder = new ThroughputHistoryEncoder(embeddingDim, settings.EncoderHidden);
        head = new ThroughputHead(embeddingDim, settings.ScaleMbps);
        RegisterComponents();
    }

    /// <summary>The factory Core's supervised verbs use to build the model for a backbone width and settings.</summary>
    public static SupervisedTaskVerbs.ModelFactory<ThroughputWindow> Factory { get; } =
        (embeddingDim, settings) => new ThroughputModel(embeddingDim, ThroughputModelSettings.From(settings));

    /// <summary>The settings it was built with.</summary>
    public ThroughputModelSettings Settings { get; }

    /// <summary>The history encoder.</summary>
    public ThroughputHistoryEncoder Encoder => encoder;

    /// <summary>The prediction head.</summary>
    public ThroughputHead Head => head;

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <inheritdoc />
    public Tensor TrainingLoss(IBackbone backbone, IReadOnlyList<ThroughputWindow> batch, Random random)
    {
        _ = random;
        return TeacherForcedLoss(backbone, batch);
    }

    /// <inheritdoc />
    public double ValidationLoss(IBackbone backbone, IReadOnlyList<ThroughputWindow> batch)
    {
        using var noGrad = no_grad();
        using var loss = TeacherForcedLoss(backbone, batch);
        return loss.item<float>();
    }

    /// <inheritdoc />
    public Tensor Predict(IBackbone backbone, IReadOnlyList<ThroughputWindow> batch)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var (history, horizon) = Shape(batch);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sequence = Normalised(batch.Select(w => w.History), history);
        var steps = new List<Tensor>(horizon);
        for (var i = 0; i < horizon; i++)
        {
            var last = LastHidden(backbone, sequence);
            var next = head.Forward(last);
            steps.Add(next);
            sequence = cat([sequence, next], 1);
        }

        return head.ToMbps(cat(steps, 1)).MoveToOuterDisposeScope();
    }

    private Tensor TeacherForcedLoss(IBackbone backbone, IReadOnlyList<ThroughputWindow> batch)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var (history, horizon) = Shape(batch);
        using var scope = NewDisposeScope();
        var inputs = Normalised(batch.Select(w => w.History.Concat(w.Future.Take(horizon - 1)).ToArray()), history + horizon - 1);
        var targets = Normalised(batch.Select(w => w.Future), horizon);
        var hidden = Hidden(backbone, inputs);
        var features = hidden.narrow(1, history - 1, horizon).reshape(-1, hidden.shape[2]);
        var predictions = head.Forward(features).view(batch.Count, horizon);
        return nn.functional.mse_loss(predictions, targets).MoveToOuterDisposeScope();
    }

    /// <summary>Backbone hidden states <c>[batch, steps, d]</c> in float32 for normalised throughputs (new tensor).</summary>
    private Tensor Hidden(IBackbone backbone, Tensor normalised)
    {
        using var scope = NewDisposeScope();
        var tokens = encoder.forward(normalised);
        using var output = backbone.Forward(new BackboneInput { InputsEmbeds = tokens });
        return output.LastHiddenState.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private Tensor LastHidden(IBackbone backbone, Tensor normalised)
    {
        using var scope = NewDisposeScope();
        var hidden = Hidden(backbone, normalised);
        return hidden.select(1, hidden.shape[1] - 1).MoveToOuterDisposeScope();
    }

    private Tensor Normalised(IEnumerable<float[]> rows, int length)
    {
        var list = rows.ToList();
        var values = new float[list.Count * length];
        for (var r = 0; r < list.Count; r++)
        {
            if (list[r].Length != length)
            {
                throw new ArgumentException($"throughput model: row {r} has {list[r].Length} values, expected {length}");
            }

            for (var i = 0; i < length; i++)
            {
                values[(r * length) + i] = list[r][i] / _scale;
            }
        }

        return tensor(values, new long[] { list.Count, length });
    }

    private static (int History, int Horizon) Shape(IReadOnlyList<ThroughputWindow> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            throw new ArgumentException("throughput model: empty batch");
        }

        var history = batch[0].History.Length;
        var horizon = batch[0].Future.Length;
        if (history < 1 || horizon < 1 || batch.Any(w => w.History.Length != history || w.Future.Length != horizon))
        {
            throw new ArgumentException($"throughput model: every window of a batch needs the same history ({history}) and horizon ({horizon}), both at least 1");
        }

        return (history, horizon);
    }
}
