namespace NetLlm.Abstractions.Tasks;

/// <summary>The task's headline metric and how reports, tables and plots label it.</summary>
/// <param name="Name">JSON name, for example <c>mean_qoe</c>.</param>
/// <param name="Unit">Unit shown in tables, for example <c>s</c> or <c>deg</c>; empty for none.</param>
/// <param name="HigherIsBetter">Direction of improvement.</param>
/// <param name="Description">How it is computed.</param>
public sealed record MetricInfo(string Name, string Unit, bool HigherIsBetter, string Description)
{
    /// <summary>Short label for table headers and plot axes, for example <c>mean QoE</c>; defaults to <see cref="Name"/>.</summary>
    public string? Label { get; init; }

    /// <summary>What one entry of a run's distribution is (<c>trace</c>, <c>job</c>, <c>sample</c>).</summary>
    public string ItemLabel { get; init; } = "item";

    /// <summary>What an entry's value measures (<c>mean QoE</c>, <c>job completion time</c>), or null for the metric itself.</summary>
    public string? ItemQuantity { get; init; }

    /// <summary>Named parts of the metric that reports break it down into (for example the QoE terms), in order.</summary>
    public IReadOnlyList<MetricComponent> Components { get; init; } = [];

    /// <summary>The label to show: <see cref="Label"/> or <see cref="Name"/>.</summary>
    public string DisplayLabel => Label ?? Name;
}

/// <summary>A named part of a metric.</summary>
/// <param name="Name">JSON name, for example <c>bitrate_mbps</c>.</param>
/// <param name="Label">Table label, for example <c>bitrate (Mbps)</c>.</param>
public sealed record MetricComponent(string Name, string Label);
