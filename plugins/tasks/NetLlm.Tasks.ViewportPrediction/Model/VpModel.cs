using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Models;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Policies;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Model;

/// <summary>
/// NetLLM for viewport prediction: each step's (roll, pitch, yaw) becomes a token through the <c>vp_encoder</c> slot,
/// an optional image token (the <c>image</c> slot's feature of the frame at the prediction start, projected by
/// <c>embed_multimodal</c>) is prepended, the sequence is layer-normed (<c>embed_ln</c>) and run through the backbone,
/// and the bounded head <c>networking_head</c> (Linear(d, 3) + tanh) turns hidden states into orientations in
/// normalised units (always a valid orientation). Training uses teacher forcing over history ⊕ future, and with
/// probability <see cref="VpModelOptions.MixRate"/> the model's own autoregressive predictions (scheduled sampling);
/// the loss is the MSE on normalised coordinates (or an angular loss, <see cref="VpModelOptions.Loss"/>). Prediction is autoregressive with the backbone's key/value cache:
/// one pass over the history, then one token per step. Batches hold samples with equal history and future lengths.
/// </summary>
public sealed class VpModel : ISupervisedModel<ViewportSample, VpHistory, VpPrediction>
{
    private readonly ModelContext _context;
    private readonly IModalityEncoder<Tensor> _viewport;
    private readonly VpImageFeatures? _images;
    private readonly Linear _embedMultimodal;
    private readonly LayerNorm _embedLn;
    private INetworkingHead? _head;

    /// <summary>Creates the model's own modules (<c>embed_multimodal</c>, <c>embed_ln</c>) with PyTorch's default initialisation.</summary>
    /// <param name="context">Token width, the slot encoders and (later) the head.</param>
    /// <param name="options">Model options.</param>
    public VpModel(ModelContext context, VpModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        Options = options;
        _viewport = context.Encoder<IModalityEncoder<Tensor>>(VpModelDesign.ViewportSlot);
        if (_viewport.EmbeddingDim != context.EmbeddingDim)
        {
            throw new ArgumentException($"vp model: the {VpModelDesign.ViewportSlot} encoder gives tokens of width {_viewport.EmbeddingDim}, the backbone takes {context.EmbeddingDim}");
        }

        if (options.UseImageToken && options.Augment != VpAugmentation.None)
        {
            throw new ArgumentException("vp model: --augment turns the viewer's head away from the frame the image token shows; use it without --image-token");
        }

        if (options.UseImageToken)
        {
            _images = new VpImageFeatures(context.Encoder<IModalityEncoder<Tensor>>(VpModelDesign.ImageSlot), options.ImageFeatureDim, VpModelDesign.FrameShape(options));
        }

        _embedMultimodal = nn.Linear(options.ImageFeatureDim, context.EmbeddingDim);
        _embedLn = nn.LayerNorm(context.EmbeddingDim);
        Modules = [new("embed_multimodal", _embedMultimodal), new("embed_ln", _embedLn)];
        if (options.FreezeViewportConvolution)
        {
            FreezeConvolution();
        }
    }

    /// <summary>The model options.</summary>
    public VpModelOptions Options { get; }

    /// <summary>Token width d.</summary>
    public int EmbeddingDim => _context.EmbeddingDim;

    /// <summary>Frames the image encoder has encoded so far (0 without the image token).</summary>
    public int EncodedFrames => _images?.EncodedFrames ?? 0;

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<string, nn.Module>> Modules { get; }

    private INetworkingHead Head => _head ??= _context.Head(VpModelDesign.HeadName);

    /// <inheritdoc />
    public Tensor TrainingLoss(IBackbone backbone, IReadOnlyList<ViewportSample> batch, Random random)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(random);
        using var scope = NewDisposeScope();
        var (history, future, images) = SampleTensors(batch, backbone.Device);
        if (Options.Augment != VpAugmentation.None)
        {
            (history, future) = Augment(history, future, random);
        }

        var autoregressive = Options.MixRate > 0 && random.NextDouble() < Options.MixRate;
        var prediction = autoregressive
            ? Autoregressive(backbone, history, images, (int)future.shape[1])
            : TeacherForcing(backbone, history, future, images);
        return Loss(prediction, future).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public double ValidationLoss(IBackbone backbone, IReadOnlyList<ViewportSample> batch)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (history, future, images) = SampleTensors(batch, backbone.Device);
        var prediction = Autoregressive(backbone, history, images, (int)future.shape[1]);
        using var loss = Loss(prediction, future);
        return loss.item<float>();
    }

    /// <summary>
    /// The loss between predicted and true normalised orientations (<see cref="VpModelOptions.Loss"/>): the MSE, or with
    /// an angular loss each difference first wrapped to ±180° (the gradient of the wrap is 1 wherever it is defined).
    /// </summary>
    /// <param name="prediction">Predicted orientations, <c>[batch, steps, 3]</c> normalised.</param>
    /// <param name="future">True orientations, the same shape.</param>
    public Tensor Loss(Tensor prediction, Tensor future)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(future);
        if (Options.Loss == VpLoss.Mse)
        {
            return nn.functional.mse_loss(prediction, future);
        }

        using var scope = NewDisposeScope();
        using var scales = tensor(ViewportNormalization.Scales.ToArray(), dtype: prediction.dtype, device: prediction.device);
        var wrapped = future.sub(prediction).mul(scales).add(180).remainder(360).sub(180);
        var loss = Options.Loss == VpLoss.AngularMae ? wrapped.abs().mean() : wrapped.div(scales).square().mean();
        return loss.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public IReadOnlyList<VpPrediction> Predict(IBackbone backbone, IReadOnlyList<VpHistory> inputs)
    {
        using var predicted = PredictDegrees(backbone, inputs);
        return Split(predicted, inputs.Count);
    }

    /// <summary>
    /// Predictions in degrees <c>[batch, future, 3]</c> (float32, a new tensor owned by the caller): autoregressive
    /// with the key/value cache.
    /// </summary>
    /// <param name="backbone">The backbone.</param>
    /// <param name="inputs">Histories with equal history and future lengths.</param>
    public Tensor PredictDegrees(IBackbone backbone, IReadOnlyList<VpHistory> inputs)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (history, images, futureLength) = InputTensors(inputs, backbone.Device);
        return Denormalize(Autoregressive(backbone, history, images, futureLength)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The original's decoding, for reference and the benchmark: every step re-runs the backbone over the whole
    /// sequence (no key/value cache). Returns <c>[batch, future, 3]</c> degrees, caller owns; equals
    /// <see cref="PredictDegrees"/> up to rounding.
    /// </summary>
    /// <param name="backbone">The backbone.</param>
    /// <param name="inputs">Histories with equal history and future lengths.</param>
    public Tensor PredictRecomputing(IBackbone backbone, IReadOnlyList<VpHistory> inputs)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (history, images, futureLength) = InputTensors(inputs, backbone.Device);
        var sequence = Prefix(history, images);
        var predictions = new List<Tensor>(futureLength);
        for (var step = 0; step < futureLength; step++)
        {
            using var output = backbone.Forward(new BackboneInput { InputsEmbeds = sequence.to(backbone.ComputeDType) });
            var last = output.LastHiddenState.narrow(1, output.LastHiddenState.shape[1] - 1, 1).to(ScalarType.Float32);
            var next = HeadStep(last, history);
            predictions.Add(next);
            sequence = cat([sequence, AppendedToken(next)], 1);
        }

        return Denormalize(cat(predictions, 1)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    /// <remarks>The modules are disposed by the task model that registers them (<see cref="Modules"/>).</remarks>
    public void Dispose()
    {
    }

    private static List<VpPrediction> Split(Tensor predicted, int count)
    {
        using var cpu = predicted.cpu().contiguous();
        var values = cpu.data<float>().ToArray();
        var perSample = values.Length / Math.Max(count, 1);
        return Enumerable.Range(0, count).Select(i => new VpPrediction(values.AsSpan(i * perSample, perSample).ToArray())).ToList();
    }

    /// <summary>Teacher forcing: one pass over prefix ⊕ embedded future; the head reads positions [L - f - 1, L - 1).</summary>
    private Tensor TeacherForcing(IBackbone backbone, Tensor history, Tensor future, Tensor? images)
    {
        using var scope = NewDisposeScope();
        var futureLength = future.shape[1];
        var sequence = Prefix(cat([history, future], 1), images);
        using var output = backbone.Forward(new BackboneInput { InputsEmbeds = sequence.to(backbone.ComputeDType) });
        var length = output.LastHiddenState.shape[1];
        var hidden = output.LastHiddenState.narrow(1, length - futureLength - 1, futureLength).to(ScalarType.Float32);
        return HeadStep(hidden, history).MoveToOuterDisposeScope();
    }

    /// <summary>Autoregressive decoding with the key/value cache: prefix once, then one token per step.</summary>
    private Tensor Autoregressive(IBackbone backbone, Tensor history, Tensor? images, int futureLength)
    {
        using var scope = NewDisposeScope();
        using var cache = backbone.CreateCache();
        var input = Prefix(history, images);
        var predictions = new List<Tensor>(futureLength);
        for (var step = 0; step < futureLength; step++)
        {
            using var output = backbone.Forward(new BackboneInput { InputsEmbeds = input.to(backbone.ComputeDType), Cache = cache });
            var last = output.LastHiddenState.narrow(1, output.LastHiddenState.shape[1] - 1, 1).to(ScalarType.Float32);
            var next = HeadStep(last, history);
            predictions.Add(next);
            if (step + 1 < futureLength)
            {
                input = AppendedToken(next);
            }
        }

        return cat(predictions, 1).MoveToOuterDisposeScope();
    }

    /// <summary>[image token] ⊕ step tokens, layer-normed: <c>[batch, (1 +) steps, d]</c>.</summary>
    private Tensor Prefix(Tensor steps, Tensor? images)
    {
        using var scope = NewDisposeScope();
        var tokens = EmbedSteps(steps);
        if (images is not null)
        {
            tokens = cat([_embedMultimodal.forward(images).unsqueeze(1), tokens], 1);
        }

        return _embedLn.forward(tokens).MoveToOuterDisposeScope();
    }

    /// <summary>The token of a predicted step (layer-normed unless the original's behaviour is asked for).</summary>
    private Tensor AppendedToken(Tensor predicted)
    {
        using var scope = NewDisposeScope();
        var token = EmbedSteps(predicted);
        return (Options.OriginalSkipLayerNormOnAppended ? token : _embedLn.forward(token)).MoveToOuterDisposeScope();
    }

    /// <summary>One token per step: normalised <c>[batch, steps, 3]</c> to <c>[batch, steps, d]</c> through the viewport encoder.</summary>
    private Tensor EmbedSteps(Tensor normalized)
    {
        using var scope = NewDisposeScope();
        var batch = normalized.shape[0];
        var steps = normalized.shape[1];
        var tokens = _viewport.Encode(normalized.reshape(batch * steps, 1, 3));
        if (tokens.numel() != batch * steps * EmbeddingDim)
        {
            throw new InvalidOperationException($"vp model: the {VpModelDesign.ViewportSlot} encoder gave [{string.Join(", ", tokens.shape)}] for {batch * steps} steps; the model needs one token per step");
        }

        return tokens.reshape(batch, steps, EmbeddingDim).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The head's answer for the given hidden states: normalised orientations, or with <see cref="VpModelOptions.ResidualHead"/>
    /// displacements (times <see cref="VpModelOptions.ResidualScale"/>) added to the last observed step of
    /// <paramref name="history"/> (broadcast over the steps).
    /// </summary>
    private Tensor HeadStep(Tensor hidden, Tensor history)
    {
        var output = Head.Forward(hidden);
        if (!Options.ResidualHead)
        {
            return output;
        }

        using (output)
        using (var lastObserved = history.narrow(1, history.shape[1] - 1, 1))
        {
            return lastObserved.add(output, alpha: Options.ResidualScale);
        }
    }

    /// <summary>
    /// <see cref="VpModelOptions.Augment"/>: per window a yaw offset (normalised units, uniform in [-1, 1)) and, when
    /// mirroring, a sign for yaw and roll; yaw is wrapped back to [-1, 1). Draws the offset, then the mirror coin, window
    /// by window from <paramref name="random"/>.
    /// </summary>
    private (Tensor History, Tensor Future) Augment(Tensor history, Tensor future, Random random)
    {
        var windows = (int)history.shape[0];
        var signs = new float[windows * 3];
        var offsets = new float[windows * 3];
        for (var i = 0; i < windows; i++)
        {
            offsets[(i * 3) + 2] = (float)((random.NextDouble() * 2) - 1);
            var sign = Options.Augment == VpAugmentation.YawRotationMirror && random.NextDouble() < 0.5 ? -1f : 1f;
            signs[i * 3] = sign;
            signs[(i * 3) + 1] = 1f;
            signs[(i * 3) + 2] = sign;
        }

        using var sign3 = tensor(signs, [windows, 1, 3], device: history.device);
        using var offset3 = tensor(offsets, [windows, 1, 3], device: history.device);
        using var isYaw = tensor(new float[] { 0, 0, 1 }, [1, 1, 3], device: history.device);
        Tensor Turn(Tensor x)
        {
            using var turned = x.mul(sign3).add_(offset3);
            using var wrapped = turned.add(1).remainder(2).sub_(1);
            return turned.add(wrapped.sub(turned).mul_(isYaw));
        }

        return (Turn(history), Turn(future));
    }

    private static Tensor Denormalize(Tensor normalized)
    {
        using var scales = tensor(ViewportNormalization.Scales.ToArray(), device: normalized.device);
        return normalized.mul(scales);
    }

    private void FreezeConvolution()
    {
        var convolution = _viewport.Module.named_parameters().Where(p => p.name.StartsWith("conv.", StringComparison.Ordinal)).ToList();
        if (convolution.Count == 0)
        {
            throw new ArgumentException($"model option --freeze-vp-conv: the {VpModelDesign.ViewportSlot} encoder has no convolution (conv.*) parameters");
        }

        foreach (var (_, parameter) in convolution)
        {
            parameter.requires_grad = false;
        }
    }

    private (Tensor History, Tensor Future, Tensor? Images) SampleTensors(IReadOnlyList<ViewportSample> batch, Device device)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var futureLength = CommonFutureLength(batch.Count, i => batch[i].FutureLength, i => batch[i].Describe());
        var history = HistoryTensor(batch.Select(s => s.History).ToList(), device, i => batch[i].Describe());
        var data = new float[batch.Count * futureLength * 3];
        for (var i = 0; i < batch.Count; i++)
        {
            ViewportNormalization.Normalize(batch[i].Future).CopyTo(data, i * futureLength * 3);
        }

        var future = tensor(data, [batch.Count, futureLength, 3], device: device);
        var images = _images?.Of(batch.Select(s => s.Image).ToList(), device, i => batch[i].Describe());
        return (history, future, images);
    }

    private (Tensor History, Tensor? Images, int FutureLength) InputTensors(IReadOnlyList<VpHistory> inputs, Device device)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var futureLength = CommonFutureLength(inputs.Count, i => inputs[i].FutureLength, i => inputs[i].Describe());
        var history = HistoryTensor(inputs.Select(h => h.Angles).ToList(), device, i => inputs[i].Describe());
        var images = _images?.Of(inputs.Select(h => h.Image).ToList(), device, i => inputs[i].Describe());
        return (history, images, futureLength);
    }

    private static Tensor HistoryTensor(IReadOnlyList<float[]> histories, Device device, Func<int, string> describe)
    {
        var length = histories[0].Length;
        var data = new float[histories.Count * length];
        for (var i = 0; i < histories.Count; i++)
        {
            if (histories[i].Length != length || length == 0 || length % 3 != 0)
            {
                throw new ArgumentException($"vp model: {describe(i)} has a history of {histories[i].Length} values; a batch needs equal lengths of whole (roll, pitch, yaw) rows ({length})");
            }

            ViewportNormalization.Normalize(histories[i]).CopyTo(data, i * length);
        }

        return tensor(data, [histories.Count, length / 3, 3], device: device);
    }

    private static int CommonFutureLength(int count, Func<int, int> future, Func<int, string> describe)
    {
        if (count == 0)
        {
            throw new ArgumentException("vp model: empty batch");
        }

        var length = future(0);
        for (var i = 1; i < count; i++)
        {
            if (future(i) != length)
            {
                throw new ArgumentException($"vp model: {describe(i)} has {future(i)} future rows, the batch {length}");
            }
        }

        return length;
    }
}
