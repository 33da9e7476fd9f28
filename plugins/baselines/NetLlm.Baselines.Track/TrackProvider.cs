using System.Globalization;
using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.ViewportPrediction;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Baselines.Viewport.Track;

/// <summary>
/// Provides TRACK as <c>vp.track</c>. With option <c>track-model DIR</c> it loads a trained model directory;
/// otherwise it first trains the position branch on the Jin2022 train split with the default windows (validated on
/// the valid split; options <c>track-epochs</c>, <c>track-lr</c>, <c>track-batch</c>, <c>track-original-loss</c>,
/// <c>track-train-samples</c>,
/// seeded with the request's seed) and saves it to <c>track-save DIR</c> when given.
/// </summary>
public sealed class TrackProvider : ILegacyPolicyProvider
{
    /// <summary>The policy id.</summary>
    public const string PolicyId = "vp.track";

    /// <inheritdoc />
    public string Id => PolicyId;

    /// <inheritdoc />
    public string TaskId => ViewportPredictionTask.TaskId;

    /// <inheritdoc />
    public string Description => "TRACK LSTM encoder-decoder (position branch; trained here, or loaded with --track-model)";

    /// <inheritdoc />
    public Type ObservationType => typeof(VpHistory);

    /// <inheritdoc />
    public Type ActionType => typeof(VpPrediction);

    /// <inheritdoc />
    public object Create(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Options.TryGetValue("track-model", out var directory) && directory.Length > 0)
        {
            var (model, config) = TrackCheckpoint.Load(directory);
            return new TrackPredictor(model, config);
        }

        var (trained, trainedConfig) = Train(request.DataRoot, OptionsFrom(request));
        try
        {
            if (request.Options.TryGetValue("track-save", out var save) && save.Length > 0)
            {
                TrackCheckpoint.Save(save, trained, trainedConfig);
            }

            return new TrackPredictor(trained, trainedConfig);
        }
        catch
        {
            trained.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The training step: loads the Jin2022 train and valid splits (default windows) under <paramref name="dataRoot"/>
    /// and trains a position-only TRACK. The caller disposes the model.
    /// </summary>
    /// <param name="dataRoot">Data root.</param>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="log">Receives one line per epoch, or null.</param>
    /// <param name="cancellation">Cancellation.</param>
    public static (TrackModel Model, TrackConfig Config) Train(string? dataRoot, TrackTrainingOptions options, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var train = ViewportDataset.Load(dataRoot, new ViewportDataRequest { Split = ViewportSplit.Train }, cancellation);
        var valid = ViewportDataset.Load(dataRoot, new ViewportDataRequest { Split = ViewportSplit.Valid }, cancellation);
        return TrackTrainer.Train(train.Samples, valid.Samples, options, log, cancellation);
    }

    /// <summary>Training options from policy options (names as the VP task declares them).</summary>
    /// <param name="request">The policy request (its seed seeds training).</param>
    public static TrackTrainingOptions OptionsFrom(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var defaults = new TrackTrainingOptions();
        return new TrackTrainingOptions
        {
            Epochs = Integer(request, "track-epochs", defaults.Epochs),
            BatchSize = Integer(request, "track-batch", defaults.BatchSize),
            LearningRate = Real(request, "track-lr", defaults.LearningRate),
            Seed = request.Seed,
            OriginalLoss = request.Flag("track-original-loss"),
            MaxTrainSamples = Integer(request, "track-train-samples", 0),
        }.Validate();
    }

    private static int Integer(PolicyRequest request, string name, int fallback) =>
        !request.Options.TryGetValue(name, out var v) ? fallback
        : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
        : throw new ArgumentException($"option --{name}: '{v}' is not an integer");

    private static double Real(PolicyRequest request, string name, double fallback) =>
        !request.Options.TryGetValue(name, out var v) ? fallback
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
        : throw new ArgumentException($"option --{name}: '{v}' is not a number");
}
