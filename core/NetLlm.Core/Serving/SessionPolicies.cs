using NetLlm.Abstractions.Policies;

namespace NetLlm.Core.Serving;

/// <summary>
/// Where a server's per-session policies come from: a baseline is created anew for every session (its own state,
/// decisions in parallel); an adapted run is loaded once and every session gets a policy with its own decision
/// context over the shared weights, deciding one at a time (<see cref="Serialised"/>).
/// </summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
/// <typeparam name="TAction">Action type.</typeparam>
/// <param name="create">Creates a session's policy (the caller owns it).</param>
/// <param name="serialised">Policies share a model: their calls must not overlap.</param>
/// <param name="liveContexts">Decision contexts alive in the shared model, or null.</param>
/// <param name="owned">The shared model, disposed last; or null.</param>
public sealed class SessionPolicies<TObservation, TAction>(Func<IPolicy<TObservation, TAction>> create, bool serialised, Func<int>? liveContexts, IDisposable? owned) : IDisposable
{
    /// <summary>Policies share a model: their calls must not overlap.</summary>
    public bool Serialised { get; } = serialised;

    /// <summary>Decision contexts alive in the shared model, or null.</summary>
    public int? LiveContexts => liveContexts?.Invoke();

    /// <summary>A new session's policy.</summary>
    public IPolicy<TObservation, TAction> Create() => create();

    /// <inheritdoc />
    public void Dispose() => owned?.Dispose();
}
