using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Model;

namespace NetLlm.Tasks.ViewportPrediction.Adaptation;

/// <summary>
/// The <c>adapt</c> verb for viewport prediction: loads the train and valid splits of the chosen dataset and windows
/// and hands them, with <see cref="VpModel"/> as the task model, to Core's shared supervised loop
/// (<see cref="SupervisedTaskVerbs"/>: LoRA on the backbone, best epoch by the autoregressive validation MSE, run
/// directory with checkpoints and resume). Model settings come from <c>--model-settings</c>
/// (<see cref="VpModelOptions.FromSettings"/>: <c>mix_rate</c>, <c>image_token</c>, <c>original_skip_ln_on_appended</c>,
/// <c>freeze_vp_conv</c>, ...).
/// </summary>
public static class ViewportAdaptation
{
    /// <summary>The task model factory used for adaptation and for loading runs.</summary>
    public static SupervisedTaskVerbs.ModelFactory<ViewportSample> ModelFactory { get; } =
        (embeddingDim, settings) => new VpModel(embeddingDim, VpModelOptions.FromSettings(settings));

    /// <summary>Runs the verb; <paramref name="arguments"/> are the request's options merged with the setting.</summary>
    /// <param name="request">The request (output = run directory, registry, seed).</param>
    /// <param name="arguments">Merged options.</param>
    public static TaskReport Adapt(TaskRequest request, TaskArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = ViewportTaskOptions.Parse(arguments);
        var data = options.Data;
        var validLimit = arguments.Integer("valid-samples", 0);
        if (validLimit < 0)
        {
            throw new ArgumentException($"option --valid-samples: {validLimit} must not be negative");
        }

        // Bad model settings fail here, before the data is read and the backbone built.
        VpModelOptions.FromSettings(AdaptationOptions.From(arguments).ModelSettings);
        var train = ViewportDataset.Load(request.DataRoot, data with { Split = ViewportSplit.Train }, request.Cancellation);
        var validAll = ViewportDataset.Load(request.DataRoot, data with { Split = ViewportSplit.Valid }, request.Cancellation).Samples;
        var valid = options.WithImages(request.DataRoot, validLimit > 0 ? validAll.Take(validLimit).ToList() : validAll);
        var trainSamples = options.WithImages(request.DataRoot, train.Samples);
        var provenance = new JsonObject
        {
            ["dataset"] = data.Dataset.Name,
            ["train_split"] = "train",
            ["valid_split"] = "valid",
            ["history"] = data.Window.History,
            ["future"] = data.Window.Future,
            ["trim_head"] = data.Window.TrimHead,
            ["trim_tail"] = data.Window.TrimTail,
            ["step"] = data.Window.Step,
            ["train_samples"] = trainSamples.Count,
            ["valid_samples"] = valid.Count,
            ["train_files"] = train.Files,
            ["image_features"] = options.ImageFeatures,
        };
        return SupervisedTaskVerbs.Adapt(ViewportPredictionTask.TaskId, ModelFactory, trainSamples, valid, provenance, request with { Arguments = arguments });
    }
}
