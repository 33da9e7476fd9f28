namespace NetLlm.Abstractions.Serving;

/// <summary>
/// A task's request protocol for one server: shared by every session (it must be safe to call
/// <see cref="BeginEpisode"/> from several threads) and disposed when the server stops.
/// </summary>
/// <typeparam name="TObservation">The task's observation type.</typeparam>
/// <typeparam name="TAction">The task's action type.</typeparam>
public interface IServingProtocol<TObservation, TAction> : IDisposable
{
    /// <summary>Starts the request stream of one session (one episode: a playback, a flow, a job).</summary>
    IServingEpisode<TObservation, TAction> BeginEpisode();
}
