using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Testbeds.DashPlayer.Server;

namespace NetLlm.Testbeds.DashPlayer.Serving;

/// <summary>
/// A minimal in-process implementation of the policy server API v1 (docs/real-player.md, the serve contract) for
/// policies that decide from the Pensieve state alone (BBA, and any policy that reads only the 6×6 state): each session
/// keeps the state the simulator would build (rolled history of bitrate, buffer, throughput, delay; next chunk sizes;
/// chunks left) and asks its own policy instance. It is the testbed's stand-in until <c>netllm serve</c> is
/// available; it does not feed rewards back (no return conditioning) and gives RobustMPC no video context.
/// </summary>
public sealed class StatePolicyServer : IAsyncDisposable
{
    private readonly Func<IPolicy<AbrObservation, int>> _create;
    private readonly string _policyId;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly ConcurrentQueue<double> _latencies = new();
    private readonly Task _accept;
    private int _total;

    /// <summary>Starts on 127.0.0.1 at a free port.</summary>
    public StatePolicyServer(string policyId, Func<IPolicy<AbrObservation, int>> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        _create = create;
        _policyId = policyId;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accept = AcceptAsync();
    }

    /// <summary>Where it listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Sessions open now.</summary>
    public int OpenSessions => _sessions.Count;

    private sealed class Session(IPolicy<AbrObservation, int> policy)
    {
        public IPolicy<AbrObservation, int> Policy { get; } = policy;

        public float[] State { get; } = new float[AbrObservation.StateLength];

        public int Step { get; set; }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        var reader = new RequestReader(stream);
        try
        {
            while (await reader.ReadAsync(_stop.Token).ConfigureAwait(false) is { } request)
            {
                var (status, body) = Handle(request.Method, request.Target.Split('?')[0], request.Body);
                var bytes = Encoding.UTF8.GetBytes(body);
                var reason = status switch { 200 => "OK", 201 => "Created", 204 => "No Content", 400 => "Bad Request", _ => "Not Found" };
                var header = $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: keep-alive\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(header), _stop.Token).ConfigureAwait(false);
                await stream.WriteAsync(bytes, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private (int Status, string Body) Handle(string method, string path, byte[] body)
    {
        var parts = path.Trim('/').Split('/');
        if (method == "GET" && path == "/v1/health")
        {
            return (200, new JsonObject { ["status"] = "ok", ["task"] = "abr", ["policy"] = _policyId, ["sessions"] = _sessions.Count }.ToJsonString());
        }

        if (method == "GET" && path == "/v1/metrics")
        {
            var all = _latencies.ToArray();
            return (200, new JsonObject
            {
                ["sessions_open"] = _sessions.Count, ["sessions_total"] = _total, ["decisions"] = all.Length,
                ["decision_ms"] = new JsonObject
                {
                    ["p50"] = RealPlayback.Percentile(all, 0.5), ["p90"] = RealPlayback.Percentile(all, 0.9),
                    ["p99"] = RealPlayback.Percentile(all, 0.99), ["max"] = all.Length == 0 ? 0 : all.Max(),
                },
            }.ToJsonString());
        }

        if (method == "POST" && path == "/v1/sessions")
        {
            var id = Guid.NewGuid().ToString("N");
            var policy = _create();
            policy.BeginEpisode();
            _sessions[id] = new Session(policy);
            Interlocked.Increment(ref _total);
            return (201, new JsonObject { ["session"] = id, ["task"] = "abr", ["policy"] = _policyId }.ToJsonString());
        }

        if (parts.Length >= 3 && parts[0] == "v1" && parts[1] == "sessions")
        {
            if (!_sessions.TryGetValue(parts[2], out var session))
            {
                return (404, Error("session: unknown session " + parts[2]));
            }

            if (method == "DELETE" && parts.Length == 3)
            {
                _sessions.TryRemove(parts[2], out _);
                session.Policy.Dispose();
                return (204, string.Empty);
            }

            if (method == "POST" && parts.Length == 4 && parts[3] == "decisions")
            {
                return Decide(session, body);
            }
        }

        return (404, Error($"no route {method} {path}"));
    }

    private (int, string) Decide(Session session, byte[] body)
    {
        JsonObject state;
        try
        {
            state = JsonNode.Parse(body)?.AsObject() ?? throw new FormatException("body: not a JSON object");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return (400, Error("body: not a JSON object"));
        }

        if (!TryNumber(state, "chunk_index", 0, AbrConstants.TotalChunks - 1, out var chunk, out var error)
            || !TryNumber(state, "quality", 0, AbrConstants.BitrateLevels - 1, out var quality, out error)
            || !TryNumber(state, "chunk_bytes", 1, AbrVideoMax, out var bytes, out error)
            || !TryNumber(state, "download_ms", 0.001, 1e8, out var downloadMs, out error)
            || !TryNumber(state, "buffer_s", 0, 1e5, out var buffer, out error)
            || !TryNumber(state, "rebuffer_s", 0, 1e5, out _, out error)
            || !TryNumber(state, "chunks_remaining", 0, AbrConstants.TotalChunks, out var remaining, out error))
        {
            return (400, Error(error!));
        }

        if (state["next_chunk_bytes"] is not JsonArray next || next.Count != AbrConstants.BitrateLevels
            || next.Any(v => v is null || v.GetValueKind() != System.Text.Json.JsonValueKind.Number || v.GetValue<double>() < 0))
        {
            return (400, Error($"next_chunk_bytes: expected {AbrConstants.BitrateLevels} non-negative numbers"));
        }

        var watch = Stopwatch.StartNew();
        const int c = AbrConstants.StateColumns;
        var s = session.State;
        foreach (var row in new[] { 0, 1, 2, 3, 5 })
        {
            Array.Copy(s, (row * c) + 1, s, row * c, c - 1);
        }

        s[c - 1] = (float)(AbrConstants.BitratesKbps[(int)quality] / (double)AbrConstants.MaxBitrateKbps);
        s[c + c - 1] = (float)(buffer / AbrConstants.BufferNormSeconds);
        s[(2 * c) + c - 1] = (float)(bytes / downloadMs / AbrConstants.Thousand);
        s[(3 * c) + c - 1] = (float)(downloadMs / AbrConstants.Thousand / AbrConstants.BufferNormSeconds);
        for (var i = 0; i < AbrConstants.BitrateLevels; i++)
        {
            s[(4 * c) + i] = (float)(next[i]!.GetValue<double>() / AbrConstants.Thousand / AbrConstants.Thousand);
        }

        s[(5 * c) + c - 1] = (float)(Math.Min(remaining, AbrConstants.TotalChunks) / AbrConstants.TotalChunks);
        int action;
        lock (session)
        {
            action = session.Policy.Act(AbrObservation.FromState(s));
            session.Step++;
        }

        var ms = watch.Elapsed.TotalMilliseconds;
        _latencies.Enqueue(ms);
        _ = chunk;
        return (200, new JsonObject
        {
            ["action"] = new JsonObject { ["quality"] = action, ["bitrate_kbps"] = AbrConstants.BitratesKbps[action] },
            ["decision_ms"] = ms,
            ["step"] = session.Step,
        }.ToJsonString());
    }

    private const double AbrVideoMax = 1L << 30;

    private static bool TryNumber(JsonObject state, string name, double min, double max, out double value, out string? error)
    {
        value = 0;
        error = null;
        if (state[name] is not JsonValue node || node.GetValueKind() != System.Text.Json.JsonValueKind.Number)
        {
            error = $"{name}: missing or not a number";
            return false;
        }

        value = node.GetValue<double>();
        if (!(value >= min && value <= max))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{name}: {value} is outside [{min}, {max}]");
            return false;
        }

        return true;
    }

    private static string Error(string message) => new JsonObject { ["error"] = message }.ToJsonString();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accept.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var session in _sessions.Values)
        {
            session.Policy.Dispose();
        }

        _sessions.Clear();
        _listener.Dispose();
        _stop.Dispose();
    }
}
