using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.ViewportPrediction;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Options;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Baselines.Track;

/// <summary>
/// Provides TRACK as <c>vp.track</c>. With <c>--track-model DIR</c> it loads a trained model directory; otherwise it
/// first trains the position branch on the train split of the task's options (their dataset and windows; validated on
/// the valid split, seeded with the run's seed) and saves it to <c>--track-save DIR</c> when given.
/// </summary>
public sealed class TrackProvider : IPolicyProvider<VpHistory, VpPrediction, TrackOptions>
{
    /// <summary>The policy id.</summary>
    public const string PolicyId = "vp.track";

    /// <inheritdoc />
    public string Id => PolicyId;

    /// <inheritdoc />
    public string TaskId => ViewportPredictionTask.TaskId;

    /// <inheritdoc />
    public string Description => "TRACK LSTM encoder-decoder (position branch; trained on the train split, or loaded with --track-model)";

    /// <inheritdoc />
    public IPolicy<VpHistory, VpPrediction> Create(PolicyContext context, TrackOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Model is { } directory)
        {
            var (model, config) = TrackCheckpoint.Load(context.Task.ResolvePath(directory, "option --track-model"));
            return new TrackPredictor(model, config);
        }

        var taskOptions = context.TaskOptions as VpOptions
            ?? throw new ArgumentException($"{PolicyId} trains on the task's train split, but it was created without the vp task's options (got {context.TaskOptions?.GetType().Name ?? "none"})");
        var (trained, trainedConfig) = Train(context.Task, taskOptions, options);
        try
        {
            if (options.Save is { } save)
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
    /// The training step: loads the train and valid splits of <paramref name="taskOptions"/> (without images) and trains a
    /// position-only TRACK seeded with the context's seed. The caller disposes the model.
    /// </summary>
    /// <param name="context">Data root, seed, progress, cancellation.</param>
    /// <param name="taskOptions">The task's options (dataset, windows, videos and viewers).</param>
    /// <param name="options">Training options.</param>
    public static (TrackModel Model, TrackConfig Config) Train(TaskContext context, VpOptions taskOptions, TrackOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(taskOptions);
        var task = new ViewportPredictionTask();
        var positions = taskOptions with { ImageFeatures = null, Frames = null };
        IReadOnlyList<ViewportSample> train = task.Load(positions, DataSplit.Train, context).Samples;
        IReadOnlyList<ViewportSample> valid = task.Load(positions, DataSplit.Valid, context).Samples;
        using var progress = context.Progress.Start($"{PolicyId} training", options.Epochs);
        return TrackTrainer.Train(train, valid, options, context.Seed, line => progress.Advance(1, line), context.Cancellation);
    }
}
