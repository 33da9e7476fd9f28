using NetLlm.Abstractions.Tasks;
using Sample.NetLlmTask.Adaptation;
using Sample.NetLlmTask.Data;
using Sample.NetLlmTask.Evaluation;

namespace Sample.NetLlmTask;

/// <summary>
/// The link-bandwidth prediction task: from the last throughput samples of a link, predict the next ones (the
/// throughput estimate an ABR or congestion controller plans with). <c>test</c> evaluates predictors — the
/// baselines of this plugin, those of other plugins for this task id, or adapted run directories — by replaying
/// test traces in <see cref="Environment.ThroughputReplayEnvironment"/>; <c>adapt</c> trains
/// <see cref="Model.ThroughputModel"/> with a LoRA-adapted backbone through NetLlm.Core's shared supervised loop.
/// </summary>
public sealed class ThroughputTask : ITaskDefinition
{
    /// <summary>The task id (<c>--task</c>).</summary>
    public const string TaskId = "sample-bw";

    /// <inheritdoc />
    public string Id => TaskId;

    /// <inheritdoc />
    public string Title => "Link-bandwidth prediction";

    /// <inheritdoc />
    public TaskKind Kind => TaskKind.Prediction;

    /// <inheritdoc />
    public MetricInfo Metric { get; } = new("mae_mbps", "Mbps", false, "mean absolute error of the predicted throughputs over test windows x horizon steps");

    /// <inheritdoc />
    public IReadOnlyList<TaskSetting> Settings => ThroughputSettings.All;

    /// <inheritdoc />
    public IReadOnlyList<TaskOptionSpec> Options => ThroughputOptions.Specs;

    /// <inheritdoc />
    public IReadOnlyList<string> Baselines { get; } = [TaskId + ".last-value", TaskId + ".harmonic-mean"];

    /// <inheritdoc />
    public IReadOnlyList<DataRequirement> DataRequirements { get; } =
    [
        new("abr/traces/test/fcc-test", "*", 1, false, "NetLLM adaptive_bitrate_streaming/data/traces (setting abr-fcc only; the default setting is synthetic)", ValidateTrace),
    ];

    /// <inheritdoc />
    public IReadOnlyList<TaskVerb> Verbs { get; } = [TaskVerb.Test, TaskVerb.Adapt];

    /// <inheritdoc />
    public TaskReport Run(TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Verb switch
        {
            TaskVerb.Test => ThroughputEvaluation.Run(request, ResolveArguments(request)),
            TaskVerb.Adapt => ThroughputAdaptation.Adapt(request, ResolveArguments(request)),
            _ => throw new NotSupportedException($"{TaskId} does not support '{request.Verb.ToString().ToLowerInvariant()}': it is a prediction task (test and adapt only)"),
        };
    }

    /// <summary>The request's options with the setting's values added for the names not given.</summary>
    /// <param name="request">The request.</param>
    public static TaskArguments ResolveArguments(TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var setting = request.Setting is null ? ThroughputSettings.All[0] : ThroughputSettings.Get(request.Setting);
        return request.Arguments.WithDefaults(setting.Values);
    }

    private static string? ValidateTrace(string path)
    {
        if (path.EndsWith(".pkl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            ThroughputTraceReader.Read(path);
            return null;
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
    }
}
