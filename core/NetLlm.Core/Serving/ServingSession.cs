using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Serving;

namespace NetLlm.Core.Serving;

/// <summary>One client episode: its request stream, its policy and a lock that keeps its requests in order.</summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
/// <typeparam name="TAction">Action type.</typeparam>
/// <param name="id">Opaque id.</param>
/// <param name="label">The client's label, or null.</param>
/// <param name="episode">The task's reader of this session's requests.</param>
/// <param name="policy">The session's policy (owned).</param>
internal sealed class ServingSession<TObservation, TAction>(string id, string? label, IServingEpisode<TObservation, TAction> episode, IPolicy<TObservation, TAction> policy)
{
    public string Id { get; } = id;

    public string? Label { get; } = label;

    public IServingEpisode<TObservation, TAction> Episode { get; } = episode;

    public IPolicy<TObservation, TAction> Policy { get; } = policy;

    public Lock Gate { get; } = new();

    public bool Closed { get; set; }

    /// <summary>When a request last used this session (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long LastUsed
    {
        get => Volatile.Read(ref _lastUsed);
        set => Volatile.Write(ref _lastUsed, value);
    }

    private long _lastUsed;
}
