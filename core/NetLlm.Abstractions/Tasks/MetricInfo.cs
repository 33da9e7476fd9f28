namespace NetLlm.Abstractions.Tasks;

/// <summary>The task's headline metric.</summary>
/// <param name="Name">JSON name, for example <c>mean_qoe</c>.</param>
/// <param name="Unit">Unit shown in tables, for example <c>s</c> or <c>deg</c>; empty for none.</param>
/// <param name="HigherIsBetter">Direction of improvement.</param>
/// <param name="Description">How it is computed.</param>
public sealed record MetricInfo(string Name, string Unit, bool HigherIsBetter, string Description);
