using NetLlm.Abstractions.Spaces;

namespace NetLlm.Abstractions.Environments;

/// <summary>
/// A simulator of a networking system in Gymnasium's shape: <see cref="Reset"/> starts an episode,
/// <see cref="Step"/> applies one action. Environments hold no tensors; observations are plain managed data
/// owned by the caller once returned.
/// </summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
/// <typeparam name="TAction">Action type.</typeparam>
public interface IEnvironment<TObservation, TAction> : IDisposable
{
    /// <summary>Versioned id, for example <c>abr/Pensieve-v0</c>.</summary>
    string Id { get; }

    /// <summary>The set every observation belongs to.</summary>
    ISpace<TObservation> ObservationSpace { get; }

    /// <summary>
    /// The set of actions. When validity depends on the state (for example the schedulable stages of a job DAG),
    /// the space checks against the current state.
    /// </summary>
    ISpace<TAction> ActionSpace { get; }

    /// <summary>
    /// Starts a new episode. A seed re-seeds the environment's random generator, so that the same seed gives the
    /// same episode; <c>null</c> continues the current random stream.
    /// </summary>
    /// <param name="seed">Optional seed.</param>
    /// <param name="options">Optional environment-specific options.</param>
    ResetResult<TObservation> Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null);

    /// <summary>Applies <paramref name="action"/>; throws <see cref="ArgumentException"/> when it is not in <see cref="ActionSpace"/>.</summary>
    /// <param name="action">The action.</param>
    StepResult<TObservation> Step(TAction action);
}
