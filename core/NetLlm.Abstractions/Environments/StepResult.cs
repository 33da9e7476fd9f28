namespace NetLlm.Abstractions.Environments;

/// <summary>What <see cref="IEnvironment{TObservation,TAction}.Step"/> returns (Gymnasium 0.26+ shape).</summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
/// <param name="Observation">Observation after the action.</param>
/// <param name="Reward">Reward of the action.</param>
/// <param name="Terminated">The episode reached a terminal state of the task.</param>
/// <param name="Truncated">The episode was cut short (time limit) without reaching a terminal state.</param>
/// <param name="Info">Auxiliary diagnostics (never needed to act).</param>
public readonly record struct StepResult<TObservation>(
    TObservation Observation,
    double Reward,
    bool Terminated,
    bool Truncated,
    IReadOnlyDictionary<string, object?> Info)
{
    /// <summary>
    /// Observation after the action. A field rather than a property: a large struct observation (ABR's holds its 6×8
    /// state) is then read in place through <c>in</c> references instead of being copied on every access.
    /// </summary>
    public readonly TObservation Observation = Observation;

    /// <summary>True when the episode is over for either reason.</summary>
    public bool Done => Terminated || Truncated;
}
