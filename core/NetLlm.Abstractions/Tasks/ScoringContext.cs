namespace NetLlm.Abstractions.Tasks;

/// <summary>What a run is scored for.</summary>
/// <param name="Policy">Policy id or run directory.</param>
/// <param name="Setting">Setting name (or <c>custom</c>).</param>
/// <param name="Seed">Seed of the run.</param>
/// <param name="ResultsFolder">Folder for per-item result files the task writes (for example the original's per-trace files), or null.</param>
public sealed record ScoringContext(string Policy, string Setting, int Seed, string? ResultsFolder);
