namespace NetLlm.Abstractions.Tasks;

/// <summary>What the host shows and reports about a task; everything task-specific the host needs comes from here.</summary>
public sealed record TaskInfo
{
    /// <summary>Task id, lower case, for example <c>abr</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Title, for example <c>Adaptive bitrate streaming</c>.</summary>
    public required string Title { get; init; }

    /// <summary>Prediction (supervised) or decision (offline RL).</summary>
    public required TaskKind Kind { get; init; }

    /// <summary>The headline metric and how reports label it.</summary>
    public required MetricInfo Metric { get; init; }

    /// <summary>One paragraph on what the task is (shown by <c>netllm tasks</c> and in help).</summary>
    public string? Description { get; init; }

    /// <summary>Policy ids a report compares against by default (baselines of the task).</summary>
    public IReadOnlyList<string> Baselines { get; init; } = [];

    /// <summary>The data the task needs under the data root (checked by <c>data check</c>, fetched by <c>data fetch</c>).</summary>
    public IReadOnlyList<DataRequirement> Data { get; init; } = [];

    /// <summary>Where the public data comes from and under which licence, for <c>data fetch</c> and the README.</summary>
    public IReadOnlyList<DataSource> DataSources { get; init; } = [];
}
