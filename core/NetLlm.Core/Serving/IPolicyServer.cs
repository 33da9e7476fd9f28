using System.Text.Json;

namespace NetLlm.Core.Serving;

/// <summary>
/// A policy answering clients one decision per request, one session per client episode (a playback), for any task
/// that implements <see cref="NetLlm.Abstractions.Serving.IServableTask{TObservation, TAction, TOptions}"/>. The HTTP
/// host maps its routes onto these calls; everything is thread-safe.
/// </summary>
public interface IPolicyServer : IDisposable
{
    /// <summary>The task's id.</summary>
    string TaskId { get; }

    /// <summary>The policy argument (a baseline id or a run directory).</summary>
    string Policy { get; }

    /// <summary>The task setting the options were resolved with.</summary>
    string Setting { get; }

    /// <summary>Sessions open at once at most.</summary>
    int MaxSessions { get; }

    /// <summary>Opens a session; throws <see cref="SessionLimitException"/> at the limit or while stopping.</summary>
    /// <param name="label">The client's label, or null.</param>
    OpenedSession Open(string? label);

    /// <summary>
    /// Reads one request of a session and decides. Throws <see cref="UnknownSessionException"/> for an unknown session
    /// and <see cref="NetLlm.Abstractions.Serving.ServingRequestException"/> for a request the task cannot read.
    /// </summary>
    /// <param name="session">The session id.</param>
    /// <param name="body">The request body.</param>
    DecisionReply Decide(string session, JsonElement body);

    /// <summary>Closes a session and frees its policy (its decision context); false when unknown.</summary>
    /// <param name="session">The session id.</param>
    bool Close(string session);

    /// <summary>Sessions unused for this long are closed; null when they never expire.</summary>
    TimeSpan? IdleTimeout { get; }

    /// <summary>Closes every session unused for <see cref="IdleTimeout"/> or longer now (a timer also does it); returns how many.</summary>
    int ExpireIdle();

    /// <summary>Counters and latency percentiles.</summary>
    ServerMetrics Metrics();
}
