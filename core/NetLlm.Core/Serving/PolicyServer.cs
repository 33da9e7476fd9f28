using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using NetLlm.Abstractions.Serving;

namespace NetLlm.Core.Serving;

/// <summary>
/// The generic policy server: sessions (a task request stream and a policy each), one decision per request with its
/// time, the session limit and the metrics. A session's requests run one at a time; different sessions run in
/// parallel, except that policies sharing one adapted model decide under one inference lock (TorchSharp forward passes
/// through a model are serialised). With an idle timeout, a session no request has used for that long is closed (a
/// player that vanished without deleting its session does not hold its decision context forever). Disposing closes
/// every session, then frees the shared model and the protocol.
/// </summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
/// <typeparam name="TAction">Action type.</typeparam>
public sealed class PolicyServer<TObservation, TAction> : IPolicyServer
{
    private readonly IServingProtocol<TObservation, TAction> _protocol;
    private readonly SessionPolicies<TObservation, TAction> _policies;
    private readonly ConcurrentDictionary<string, ServingSession<TObservation, TAction>> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _inference = new();
    private readonly LatencyRecorder _latency = new();
    private readonly LatencyRecorder _waits = new();
    private readonly TimeProvider _time;
    private readonly ITimer? _sweeper;
    private int _open;
    private long _expired;
    private long _total;
    private long _decisions;
    private volatile bool _stopping;

    /// <summary>Creates the server; it owns the protocol and the policies.</summary>
    /// <param name="taskId">Task id.</param>
    /// <param name="policy">Policy argument.</param>
    /// <param name="setting">Setting the options were resolved with.</param>
    /// <param name="protocol">The task's request protocol.</param>
    /// <param name="policies">Where session policies come from.</param>
    /// <param name="maxSessions">Sessions open at once at most.</param>
    /// <param name="idleTimeout">Close a session unused for this long (checked every quarter of it, 1 to 30 s); null: never.</param>
    /// <param name="time">Clock and timers (the system's by default).</param>
    public PolicyServer(string taskId, string policy, string setting, IServingProtocol<TObservation, TAction> protocol, SessionPolicies<TObservation, TAction> policies, int maxSessions, TimeSpan? idleTimeout = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSessions, 1);
        TaskId = taskId;
        Policy = policy;
        Setting = setting;
        MaxSessions = maxSessions;
        _protocol = protocol;
        _policies = policies;
        _time = time ?? TimeProvider.System;
        if (idleTimeout is { } idle)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idle, TimeSpan.Zero, nameof(idleTimeout));
            IdleTimeout = idle;
            var period = TimeSpan.FromTicks(Math.Clamp(idle.Ticks / 4, TimeSpan.TicksPerSecond, 30 * TimeSpan.TicksPerSecond));
            _sweeper = _time.CreateTimer(_ => ExpireIdle(), null, period, period);
        }
    }

    /// <inheritdoc />
    public TimeSpan? IdleTimeout { get; }

    /// <inheritdoc />
    public string TaskId { get; }

    /// <inheritdoc />
    public string Policy { get; }

    /// <inheritdoc />
    public string Setting { get; }

    /// <inheritdoc />
    public int MaxSessions { get; }

    /// <inheritdoc />
    public OpenedSession Open(string? label)
    {
        if (_stopping)
        {
            throw new SessionLimitException("the server is stopping; no new sessions");
        }

        if (Interlocked.Increment(ref _open) > MaxSessions)
        {
            Interlocked.Decrement(ref _open);
            throw new SessionLimitException($"{MaxSessions} sessions are open, the server's maximum; delete a finished session or try again later");
        }

        ServingSession<TObservation, TAction> session;
        try
        {
            var episode = _protocol.BeginEpisode();
            var policy = Serialised(() => _policies.Create());
            policy.BeginEpisode();
            session = new ServingSession<TObservation, TAction>(Guid.NewGuid().ToString("N"), label, episode, policy) { LastUsed = _time.GetTimestamp() };
            _sessions[session.Id] = session;
            Interlocked.Increment(ref _total);
        }
        catch
        {
            Interlocked.Decrement(ref _open);
            throw;
        }

        if (_stopping)
        {
            // Dispose began while this session was being opened: close it here (Close frees its slot).
            Close(session.Id);
            throw new SessionLimitException("the server is stopping; no new sessions");
        }

        return new OpenedSession(session.Id, label);
    }

    /// <inheritdoc />
    public DecisionReply Decide(string session, JsonElement body)
    {
        var s = Find(session);
        lock (s.Gate)
        {
            if (s.Closed)
            {
                throw new UnknownSessionException($"session '{session}' was closed");
            }

            s.LastUsed = _time.GetTimestamp();
            var step = s.Episode.Read(body);
            var started = Stopwatch.GetTimestamp();
            if (step.Reward is { } reward)
            {
                s.Policy.Observe(reward, step.Done);
            }

            var action = Serialised(() => s.Policy.Act(step.Observation), out var waited);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds - waited;
            _latency.Add(ms);
            _waits.Add(waited);
            Interlocked.Increment(ref _decisions);
            return new DecisionReply(s.Episode.Write(step.Observation, action), ms, waited, step.Step);
        }
    }

    /// <inheritdoc />
    public bool Close(string session)
    {
        if (!_sessions.TryRemove(session, out var s))
        {
            return false;
        }

        lock (s.Gate)
        {
            s.Closed = true;
            Serialised(() =>
            {
                s.Policy.Dispose();
                return 0;
            });
        }

        Interlocked.Decrement(ref _open);
        return true;
    }

    /// <inheritdoc />
    public int ExpireIdle()
    {
        if (IdleTimeout is not { } idle || _stopping)
        {
            return 0;
        }

        var closed = 0;
        foreach (var (id, session) in _sessions)
        {
            if (_time.GetElapsedTime(session.LastUsed) >= idle && Close(id))
            {
                closed++;
            }
        }

        Interlocked.Add(ref _expired, closed);
        return closed;
    }

    /// <inheritdoc />
    public ServerMetrics Metrics() =>
        new(Volatile.Read(ref _open), Interlocked.Read(ref _total), Interlocked.Read(ref _decisions), _latency.Summary(), _waits.Summary(), _policies.LiveContexts, Interlocked.Read(ref _expired));

    /// <summary>Stops taking sessions, closes every session (waiting for its request in flight), frees the model.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _sweeper?.Dispose();
        foreach (var id in _sessions.Keys.ToList())
        {
            Close(id);
        }

        _policies.Dispose();
        _protocol.Dispose();
    }

    private ServingSession<TObservation, TAction> Find(string session) =>
        _sessions.TryGetValue(session, out var s) ? s : throw new UnknownSessionException($"unknown session '{session}' (never opened, deleted, closed after being idle, or the server restarted)");

    private T Serialised<T>(Func<T> call, out double waitedMs)
    {
        waitedMs = 0;
        if (!_policies.Serialised)
        {
            return call();
        }

        var before = Stopwatch.GetTimestamp();
        lock (_inference)
        {
            waitedMs = Stopwatch.GetElapsedTime(before).TotalMilliseconds;
            return call();
        }
    }

    private T Serialised<T>(Func<T> call)
    {
        if (!_policies.Serialised)
        {
            return call();
        }

        lock (_inference)
        {
            return call();
        }
    }
}
