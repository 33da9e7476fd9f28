using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using Sample.NetLlmTask.Data;
using Sample.NetLlmTask.Model;

namespace Sample.NetLlmTask.Adaptation;

/// <summary>
/// The <c>adapt</c> verb: cuts training and validation windows from the train and valid splits and hands them, with
/// <see cref="ThroughputModel"/>, to NetLlm.Core's shared supervised loop (<see cref="SupervisedTaskVerbs"/>: LoRA on
/// the backbone, AdamW, validation after every epoch, best epoch kept, run directory with checkpoints and resume).
/// </summary>
public static class ThroughputAdaptation
{
    /// <summary>Runs the verb.</summary>
    /// <param name="request">The request (output = run directory, registry for the backbone, seed).</param>
    /// <param name="arguments">Options merged with the setting.</param>
    public static TaskReport Adapt(TaskRequest request, TaskArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = ThroughputOptions.Parse(arguments);
        // Bad model settings fail before any data is read or a backbone is built.
        ThroughputModelSettings.From(AdaptationOptions.From(arguments).ModelSettings);
        var trainData = ThroughputDataset.Load(request.DataRoot, options, ThroughputSplit.Train);
        var validData = ThroughputDataset.Load(request.DataRoot, options, ThroughputSplit.Valid);
        var train = trainData.Windows(options.History, options.Horizon, options.Stride);
        var valid = validData.Windows(options.History, options.Horizon, options.Stride);
        var provenance = new JsonObject
        {
            ["train_source"] = trainData.Source,
            ["valid_source"] = validData.Source,
            ["train_traces"] = trainData.Traces.Count,
            ["valid_traces"] = validData.Traces.Count,
            ["history"] = options.History,
            ["horizon"] = options.Horizon,
            ["stride"] = options.Stride,
            ["train_windows"] = train.Count,
            ["valid_windows"] = valid.Count,
        };
        return SupervisedTaskVerbs.Adapt(ThroughputTask.TaskId, ThroughputModel.Factory, train, valid, provenance, request with { Arguments = arguments });
    }
}
