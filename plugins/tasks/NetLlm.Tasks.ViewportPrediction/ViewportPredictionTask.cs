using System.Globalization;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.ViewportPrediction.Adaptation;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Evaluation;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Tasks.ViewportPrediction;

/// <summary>
/// The viewport prediction task (<c>vp</c>): from a viewer's past head orientation, predict the next seconds.
/// <c>test</c> evaluates predictors on a setting's split (MAE in degrees with the 360° wrap), <c>bench</c> measures
/// loading and prediction throughput, <c>adapt</c> trains <see cref="Model.VpModel"/> with a LoRA-adapted backbone
/// (<see cref="ViewportAdaptation"/>); adapted run directories are tested like any policy.
/// </summary>
public sealed class ViewportPredictionTask : ITaskDefinition
{
    /// <summary>The task id.</summary>
    public const string TaskId = "vp";

    private static readonly string[] DataOptionNames = ["dataset", "split", "history", "future", "trim-head", "trim-tail", "step", "videos", "viewers"];

    /// <inheritdoc />
    public string Id => TaskId;

    /// <inheritdoc />
    public string Title => "Viewport prediction (360-degree video)";

    /// <inheritdoc />
    public TaskKind Kind => TaskKind.Prediction;

    /// <inheritdoc />
    public MetricInfo Metric { get; } = new(
        "mae_deg",
        "deg",
        false,
        "mean absolute error of roll, pitch and yaw in degrees, each wrapped at 360 (min(|a-b|, |a+360-b|, |a-360-b|)), over samples x steps x axes");

    /// <inheritdoc />
    public IReadOnlyList<TaskSetting> Settings => ViewportSettings.All;

    /// <inheritdoc />
    public IReadOnlyList<TaskOptionSpec> Options => ViewportTaskOptions.Specs;

    /// <inheritdoc />
    public IReadOnlyList<string> Baselines { get; } = ["vp.lr", "vp.velocity", "vp.track", "vp.hold"];

    /// <inheritdoc />
    public IReadOnlyList<DataRequirement> DataRequirements { get; } =
    [
        new("vp/viewports/Jin2022", "*.csv", 2268, true, "NetLLM viewport_prediction/data/viewports/Jin2022 (see vp/README.md)", ValidateTrace),
        new("vp/viewports/Wu2017", "*.csv", 864, false, "NetLLM viewport_prediction/data/viewports/Wu2017 (unseen settings; see vp/README.md)", ValidateTrace),
    ];

    /// <inheritdoc />
    public IReadOnlyList<TaskVerb> Verbs { get; } = [TaskVerb.Test, TaskVerb.Bench, TaskVerb.Adapt];

    /// <inheritdoc />
    public TaskReport Run(TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Verb switch
        {
            TaskVerb.Test => ViewportTestRunner.Run(request, ResolveArguments(request), SettingName(request)),
            TaskVerb.Bench => ViewportBenchmark.Run(request, ResolveArguments(request), SettingName(request)),
            TaskVerb.Adapt => ViewportAdaptation.Adapt(request, ResolveArguments(request)),
            _ => throw new NotSupportedException(
                $"vp does not support '{request.Verb.ToString().ToLowerInvariant()}': viewport prediction is supervised, its dataset is the viewport traces (no experience pool)"),
        };
    }

    /// <summary>
    /// The request's options with the setting's values added for the names not given (the named setting, or the
    /// default setting when none was named).
    /// </summary>
    /// <param name="request">The request.</param>
    public static TaskArguments ResolveArguments(TaskRequest request)
    {
        var setting = request.Setting is null ? ViewportSettings.All[0] : ViewportSettings.Get(request.Setting);
        return request.Arguments.WithDefaults(setting.Values);
    }

    /// <summary>The setting name to report: the named one, <c>default</c>, or <c>custom</c> when data options were given without a setting.</summary>
    /// <param name="request">The request.</param>
    public static string SettingName(TaskRequest request) =>
        request.Setting ?? (DataOptionNames.Any(request.Arguments.Has) ? "custom" : "default");

    /// <summary>Creates the policy named <paramref name="policy"/> for this task; the caller disposes it.</summary>
    /// <param name="request">The request (registry, seed, data root).</param>
    /// <param name="arguments">Options passed to the policy.</param>
    /// <param name="policy">Policy id or run directory.</param>
    public static IPolicy<VpHistory, VpPrediction> CreatePolicy(TaskRequest request, TaskArguments arguments, string policy)
    {
        if (Directory.Exists(policy))
        {
            return ViewportAdaptedPredictor.Load(policy, request);
        }

        var provider = request.Registry.GetLegacyPolicy(policy);
        if (provider.TaskId != TaskId)
        {
            throw new ArgumentException($"policy {policy} is for task '{provider.TaskId}', not '{TaskId}'");
        }

        var created = provider.Create(new PolicyRequest(request.Seed, request.DataRoot, arguments.Values));
        if (created is IPolicy<VpHistory, VpPrediction> typed)
        {
            return typed;
        }

        (created as IDisposable)?.Dispose();
        throw new InvalidOperationException(
            $"policy {policy} created a {created.GetType().FullName}, which is not an IPolicy<VpHistory, VpPrediction>");
    }

    /// <summary>Format check of one trace file for <c>netllm data check</c>.</summary>
    /// <param name="path">A trace file.</param>
    public static string? ValidateTrace(string path)
    {
        try
        {
            var trace = ViewportCsvReader.Read(path);
            return trace.Rows < 30 ? string.Create(CultureInfo.InvariantCulture, $"{path}: only {trace.Rows} rows (history + future = 30)") : null;
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
    }
}
