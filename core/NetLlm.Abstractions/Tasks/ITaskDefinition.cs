namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// A networking task: its data or environment, its encoder and head, its metric, its settings and the baselines
/// it knows. Exported through MEF by task plugins. The CLI's <c>collect</c>, <c>adapt</c>, <c>test</c> and
/// <c>bench</c> verbs dispatch to <see cref="Run"/>; the shared machinery (adapters, the adaptation loop,
/// checkpoints) lives in NetLlm.Core.
/// </summary>
public interface ITaskDefinition
{
    /// <summary>Task id, for example <c>abr</c>.</summary>
    string Id { get; }

    /// <summary>Title, for example <c>Adaptive bitrate streaming</c>.</summary>
    string Title { get; }

    /// <summary>Prediction (supervised) or decision (offline RL).</summary>
    TaskKind Kind { get; }

    /// <summary>The headline metric.</summary>
    MetricInfo Metric { get; }

    /// <summary>Named settings; the first is the default.</summary>
    IReadOnlyList<TaskSetting> Settings { get; }

    /// <summary>Task-specific command-line options.</summary>
    IReadOnlyList<TaskOptionSpec> Options { get; }

    /// <summary>Ids of the baseline policies the task is evaluated against.</summary>
    IReadOnlyList<string> Baselines { get; }

    /// <summary>The data the task needs under the data root.</summary>
    IReadOnlyList<DataRequirement> DataRequirements { get; }

    /// <summary>Verbs this task supports.</summary>
    IReadOnlyList<TaskVerb> Verbs { get; }

    /// <summary>
    /// Runs a verb. Throws <see cref="ArgumentException"/> for bad options, <see cref="InvalidDataException"/> for bad
    /// data (naming the file and line), <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    /// <param name="request">The verb, options, data root, seed and services.</param>
    TaskReport Run(TaskRequest request);
}
