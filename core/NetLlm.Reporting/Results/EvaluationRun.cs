namespace NetLlm.Reporting.Results;

/// <summary>
/// One test run of an evaluation: a policy on a setting with a seed, as the task scored it
/// (<see cref="NetLlm.Abstractions.Tasks.RunScore"/>'s metric, per-item values and metric components).
/// </summary>
/// <param name="Policy">Policy id or adapted run directory, as given.</param>
/// <param name="Setting">Setting name.</param>
/// <param name="Seed">Seed of the run.</param>
/// <param name="Metric">The task's headline metric.</param>
/// <param name="Distribution">Per-item values (per trace, per job, per sample); may be empty.</param>
/// <param name="Components">Named terms of the metric (for ABR: bitrate, rebuffer, smoothness); may be empty.</param>
/// <param name="Summary">The task's notes for the terminal.</param>
public sealed record EvaluationRun(
    string Policy,
    string Setting,
    int Seed,
    double Metric,
    IReadOnlyList<double> Distribution,
    IReadOnlyDictionary<string, double> Components,
    IReadOnlyList<string> Summary);
