using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Models;
using Sample.NetLlmPredictionTask.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Sample.NetLlmPredictionTask.Model;

/// <summary>
/// The task's part of the NetLLM prediction model: the history <c>[n, 1, History]</c>, divided by the largest
/// throughput, goes through the <c>history</c> slot's encoder into tokens; the backbone reads them; the bounded head
/// <c>throughput_head</c> maps the last token's hidden state to <see cref="ThroughputConstants.Horizon"/> values in
/// [-1, 1], which stand for [0, max-mbps]. The loss is the mean squared error in that normalised range. The model has
/// no trainable modules of its own (the engine owns optimisation, validation and checkpoints).
/// </summary>
public sealed class ThroughputModel : ISupervisedModel<ThroughputSample, ThroughputHistory, ThroughputForecast>
{
    /// <summary>The encoder slot of the history.</summary>
    public const string HistorySlot = "history";

    /// <summary>The head's name.</summary>
    public const string HeadName = "throughput_head";

    private readonly ModelContext _context;
    private readonly IModalityEncoder<Tensor> _encoder;
    private readonly float _max;
    private INetworkingHead? _head;

    /// <summary>Creates the model (after the slot encoders, before the head).</summary>
    /// <param name="context">Token width, slot encoders and (later) the head.</param>
    /// <param name="options">Model options.</param>
    public ThroughputModel(ModelContext context, ThroughputModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        _encoder = context.Encoder<IModalityEncoder<Tensor>>(HistorySlot);
        _max = (float)options.MaxMbps;
    }

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<string, nn.Module>> Modules { get; } = [];

    private INetworkingHead Head => _head ??= _context.Head(HeadName);

    /// <inheritdoc />
    public Tensor TrainingLoss(IBackbone backbone, IReadOnlyList<ThroughputSample> batch, Random random)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var predicted = Forward(backbone, batch.Select(s => s.History).ToList());
        return nn.functional.mse_loss(predicted, Targets(batch, backbone.Device)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public double ValidationLoss(IBackbone backbone, IReadOnlyList<ThroughputSample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var predicted = Forward(backbone, batch.Select(s => s.History).ToList());
        return nn.functional.mse_loss(predicted, Targets(batch, backbone.Device)).item<float>();
    }

    /// <inheritdoc />
    public IReadOnlyList<ThroughputForecast> Predict(IBackbone backbone, IReadOnlyList<ThroughputHistory> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var mbps = ((Forward(backbone, inputs) + 1) * (_max / 2)).cpu().contiguous();
        var values = mbps.data<float>().ToArray();
        return Enumerable.Range(0, inputs.Count)
            .Select(i => new ThroughputForecast(values.AsSpan(i * ThroughputConstants.Horizon, ThroughputConstants.Horizon).ToArray()))
            .ToList();
    }

    /// <inheritdoc />
    /// <remarks>The slot encoders and the head belong to the task model that registered them.</remarks>
    public void Dispose()
    {
    }

    /// <summary>Head outputs in [-1, 1], <c>[n, Horizon]</c>.</summary>
    private Tensor Forward(IBackbone backbone, IReadOnlyList<ThroughputHistory> inputs)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var values = inputs.SelectMany(h => h.Mbps.Length == ThroughputConstants.History
            ? h.Mbps
            : throw new ArgumentException($"a history holds {ThroughputConstants.History} samples, got {h.Mbps.Length}")).ToArray();
        var series = (tensor(values).view(inputs.Count, 1, ThroughputConstants.History) / _max).to(backbone.Device);
        var tokens = _encoder.Encode(series);
        using var output = backbone.Forward(new BackboneInput { InputsEmbeds = tokens.to_type(backbone.ComputeDType) });
        var last = output.LastHiddenState.select(1, -1).to_type(ScalarType.Float32);
        return Head.Forward(last);
    }

    private Tensor Targets(IReadOnlyList<ThroughputSample> batch, Device device)
    {
        var values = batch.SelectMany(s => s.Future).ToArray();
        return ((tensor(values).view(batch.Count, ThroughputConstants.Horizon) / (_max / 2)) - 1).clamp(-1, 1).to(device);
    }
}
