namespace NetLlm.Abstractions.Environments;

/// <summary>What <see cref="IEnvironment{TObservation,TAction}.Reset"/> returns.</summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
/// <param name="Observation">First observation of the episode.</param>
/// <param name="Info">Auxiliary diagnostics (never needed to act).</param>
public readonly record struct ResetResult<TObservation>(TObservation Observation, IReadOnlyDictionary<string, object?> Info);
