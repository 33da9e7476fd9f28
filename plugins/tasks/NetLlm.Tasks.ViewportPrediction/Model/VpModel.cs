using NetLlm.Abstractions.Backbones;
using NetLlm.Core.Adaptation;
using NetLlm.Tasks.ViewportPrediction.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Model;

/// <summary>
/// NetLLM for viewport prediction: each step's (roll, pitch, yaw) becomes a token through the viewport encoder, an
/// optional image token is prepended, the sequence is layer-normed and run through the backbone, and the head
/// <c>Linear(d, 3) + Tanh</c> turns hidden states into orientations in normalised units (always a valid orientation).
/// Training uses teacher forcing over history ⊕ future, and with probability <see cref="VpModelOptions.MixRate"/> the
/// model's own autoregressive predictions (scheduled sampling); the loss is the MSE on normalised coordinates.
/// Prediction is autoregressive with the backbone's key/value cache: one pass over the history, then one token per
/// step. Batches may hold any number of samples with equal history and future lengths.
/// </summary>
public sealed class VpModel : ISupervisedModel<ViewportSample>
{
    private readonly VpModelModules _modules;

    /// <summary>Creates the model for a backbone of width <paramref name="embeddingDim"/>.</summary>
    /// <param name="embeddingDim">The backbone's hidden size.</param>
    /// <param name="options">Settings (null for the defaults).</param>
    public VpModel(int embeddingDim, VpModelOptions? options = null)
    {
        Options = (options ?? new VpModelOptions()).Validate();
        _modules = new VpModelModules(embeddingDim, Options);
        if (Options.FreezeViewportConvolution)
        {
            foreach (var (name, parameter) in _modules.named_parameters())
            {
                if (name.StartsWith("vp_encoder.conv.", StringComparison.Ordinal))
                {
                    parameter.requires_grad = false;
                }
            }
        }
    }

    /// <summary>The settings.</summary>
    public VpModelOptions Options { get; }

    /// <summary>Token width d.</summary>
    public int EmbeddingDim => _modules.EmbeddingDim;

    /// <inheritdoc />
    public nn.Module Module => _modules;

    /// <summary>The typed modules.</summary>
    public VpModelModules Modules => _modules;

    /// <inheritdoc />
    public Tensor TrainingLoss(IBackbone backbone, IReadOnlyList<ViewportSample> batch, Random random)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(random);
        using var scope = NewDisposeScope();
        var (history, future, images) = ToTensors(batch, backbone.Device, includeFuture: true);
        var autoregressive = Options.MixRate > 0 && random.NextDouble() < Options.MixRate;
        var prediction = autoregressive
            ? Autoregressive(backbone, history, images, (int)future!.shape[1])
            : TeacherForcing(backbone, history, future!, images);
        return nn.functional.mse_loss(prediction, future!).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    /// <remarks>Returns <c>[batch, future, 3]</c> in degrees (float32) owned by the caller.</remarks>
    public Tensor Predict(IBackbone backbone, IReadOnlyList<ViewportSample> batch)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var futureLength = CommonFutureLength(batch);
        using var scope = NewDisposeScope();
        var (history, _, images) = ToTensors(batch, backbone.Device, includeFuture: false);
        return PredictDegrees(backbone, history, images, futureLength).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Predictions for histories alone (no ground truth needed): <paramref name="historyDegrees"/> holds one
    /// row-major <c>[history, 3]</c> array per sample. Returns <c>[batch, futureLength, 3]</c> degrees, caller owns.
    /// </summary>
    /// <param name="backbone">The backbone.</param>
    /// <param name="historyDegrees">Histories in degrees.</param>
    /// <param name="imageFeatures">Image features per sample when the model uses an image token, else null.</param>
    /// <param name="futureLength">Steps to predict.</param>
    public Tensor PredictHistories(IBackbone backbone, IReadOnlyList<float[]> historyDegrees, IReadOnlyList<float[]?>? imageFeatures, int futureLength)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        using var scope = NewDisposeScope();
        var history = HistoryTensor(historyDegrees, backbone.Device);
        var images = ImageTensor(imageFeatures, historyDegrees.Count, backbone.Device, i => $"sample {i}");
        return PredictDegrees(backbone, history, images, futureLength).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The original's decoding, for reference and tests: every step re-runs the backbone over the whole sequence
    /// (no key/value cache). Returns <c>[batch, future, 3]</c> degrees, caller owns; equals <see cref="Predict"/>.
    /// </summary>
    /// <param name="backbone">The backbone.</param>
    /// <param name="batch">Samples.</param>
    public Tensor PredictRecomputing(IBackbone backbone, IReadOnlyList<ViewportSample> batch)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var futureLength = CommonFutureLength(batch);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (history, _, images) = ToTensors(batch, backbone.Device, includeFuture: false);
        var sequence = Prefix(history, images);
        var predictions = new List<Tensor>(futureLength);
        for (var step = 0; step < futureLength; step++)
        {
            using var output = backbone.Forward(new BackboneInput { InputsEmbeds = sequence.to(backbone.ComputeDType) });
            var last = output.LastHiddenState.narrow(1, output.LastHiddenState.shape[1] - 1, 1).to(ScalarType.Float32);
            var next = _modules.Head(last);
            predictions.Add(next);
            sequence = cat([sequence, AppendedToken(next)], 1);
        }

        return Denormalize(cat(predictions, 1)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public double ValidationLoss(IBackbone backbone, IReadOnlyList<ViewportSample> batch)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (history, future, images) = ToTensors(batch, backbone.Device, includeFuture: true);
        var prediction = Autoregressive(backbone, history, images, (int)future!.shape[1]);
        return nn.functional.mse_loss(prediction, future!).item<float>();
    }

    /// <inheritdoc />
    public void Dispose() => _modules.Dispose();

    private Tensor PredictDegrees(IBackbone backbone, Tensor history, Tensor? images, int futureLength)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var normalized = Autoregressive(backbone, history, images, futureLength);
        return Denormalize(normalized).MoveToOuterDisposeScope();
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
        return _modules.Head(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>Autoregressive decoding with the key/value cache: prefix once, then one token per step.</summary>
    private Tensor Autoregressive(IBackbone backbone, Tensor history, Tensor? images, int futureLength)
    {
        using var scope = NewDisposeScope();
        using var cache = backbone.CreateCache();
        var prefix = Prefix(history, images);
        var predictions = new List<Tensor>(futureLength);
        var input = prefix;
        for (var step = 0; step < futureLength; step++)
        {
            using var output = backbone.Forward(new BackboneInput { InputsEmbeds = input.to(backbone.ComputeDType), Cache = cache });
            var last = output.LastHiddenState.narrow(1, output.LastHiddenState.shape[1] - 1, 1).to(ScalarType.Float32);
            var next = _modules.Head(last);
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
        var tokens = _modules.EmbedSteps(steps);
        if (images is not null)
        {
            tokens = cat([_modules.EmbedImage(images), tokens], 1);
        }

        return _modules.Normalize(tokens).MoveToOuterDisposeScope();
    }

    /// <summary>The token of a predicted step (layer-normed unless the original's behaviour is asked for).</summary>
    private Tensor AppendedToken(Tensor predicted)
    {
        using var scope = NewDisposeScope();
        var token = _modules.EmbedSteps(predicted);
        return (Options.OriginalSkipLayerNormOnAppended ? token : _modules.Normalize(token)).MoveToOuterDisposeScope();
    }

    private static Tensor Denormalize(Tensor normalized)
    {
        using var scales = tensor(ViewportNormalization.Scales.ToArray(), device: normalized.device);
        return normalized.mul(scales);
    }

    private (Tensor History, Tensor? Future, Tensor? Images) ToTensors(IReadOnlyList<ViewportSample> batch, Device device, bool includeFuture)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            throw new ArgumentException("vp model: empty batch");
        }

        var history = HistoryTensor(batch.Select(s => s.History).ToList(), device, i => batch[i].Describe());
        Tensor? future = null;
        if (includeFuture)
        {
            var futureLength = CommonFutureLength(batch);
            var data = new float[batch.Count * futureLength * 3];
            for (var i = 0; i < batch.Count; i++)
            {
                ViewportNormalization.Normalize(batch[i].Future).CopyTo(data, i * futureLength * 3);
            }

            future = tensor(data, [batch.Count, futureLength, 3], device: device);
        }

        var images = ImageTensor(batch.Select(s => s.ImageFeature).ToList(), batch.Count, device, i => batch[i].Describe());
        return (history, future, images);
    }

    private static Tensor HistoryTensor(IReadOnlyList<float[]> histories, Device device, Func<int, string>? describe = null)
    {
        if (histories.Count == 0)
        {
            throw new ArgumentException("vp model: empty batch");
        }

        var length = histories[0].Length;
        var data = new float[histories.Count * length];
        for (var i = 0; i < histories.Count; i++)
        {
            if (histories[i].Length != length || length == 0 || length % 3 != 0)
            {
                throw new ArgumentException($"vp model: {describe?.Invoke(i) ?? $"sample {i}"} has a history of {histories[i].Length} values; a batch needs equal lengths of whole (roll, pitch, yaw) rows ({length})");
            }

            ViewportNormalization.Normalize(histories[i]).CopyTo(data, i * length);
        }

        return tensor(data, [histories.Count, length / 3, 3], device: device);
    }

    private Tensor? ImageTensor(IReadOnlyList<float[]?>? features, int count, Device device, Func<int, string> describe)
    {
        if (!Options.UseImageToken)
        {
            return null;
        }

        var dim = Options.ImageFeatureDim;
        var data = new float[count * dim];
        for (var i = 0; i < count; i++)
        {
            var feature = features is not null && i < features.Count ? features[i] : null;
            if (feature is null || feature.Length != dim)
            {
                throw new ArgumentException($"vp model uses an image token but {describe(i)} has {(feature is null ? "no image feature" : $"an image feature of width {feature.Length}")} (expected {dim})");
            }

            feature.CopyTo(data, i * dim);
        }

        return tensor(data, [count, dim], device: device);
    }

    private static int CommonFutureLength(IReadOnlyList<ViewportSample> batch)
    {
        if (batch.Count == 0)
        {
            throw new ArgumentException("vp model: empty batch");
        }

        var length = batch[0].FutureLength;
        var odd = batch.FirstOrDefault(s => s.FutureLength != length);
        return odd is null ? length : throw new ArgumentException($"vp model: {odd.Describe()} has {odd.FutureLength} future rows, the batch {length}");
    }
}
