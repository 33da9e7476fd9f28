using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Testbeds.DashPlayer.Browser;
using NetLlm.Testbeds.DashPlayer.Server;
using NetLlm.Testbeds.DashPlayer.Shaping;

namespace NetLlm.Testbeds.DashPlayer;

/// <summary>What one real playback needs.</summary>
/// <param name="PlayerDir">tools/player (the page and node_modules/dashjs).</param>
/// <param name="VideoDir">The DASH folder written by make-media.sh.</param>
/// <param name="PolicyServer">The policy server's base address (API v1).</param>
public sealed record RealPlaybackOptions(string PlayerDir, string VideoDir, Uri PolicyServer)
{
    /// <summary>Round-trip time added per media segment, ms (the simulator's 80 ms).</summary>
    public double RttMs { get; init; } = AbrConstants.LinkRttMs;

    /// <summary>Quality of the first chunk, fetched without asking (the API's default 1).</summary>
    public int FirstQuality { get; init; } = 1;

    /// <summary>Chromium to use; null finds the system browser.</summary>
    public string? Chromium { get; init; }

    /// <summary>Where to save a screenshot of the page at the end; null for none.</summary>
    public string? ScreenshotPath { get; init; }

    /// <summary>
    /// How long the playback may take before it fails with a <see cref="TimeoutException"/> saying how far it got;
    /// null for 16 s per segment plus 2 minutes (four times the video's length, for slow traces and a loaded machine).
    /// </summary>
    public TimeSpan? TimeLimit { get; init; }
}

/// <summary>One trace played by the real player, with the simulator's run of the same trace and video when available.</summary>
public sealed record TracePlayback(
    string Trace,
    PlayerLog Log,
    QoeSummary Real,
    QoeSummary? Simulated,
    double StartupSeconds,
    double DecisionP50Ms,
    double DecisionP99Ms,
    double ServerDecisionP50Ms,
    IReadOnlyList<ShapedResponse> Shaped,
    string Shaper,
    double WallSeconds);

/// <summary>Plays one trace to the end in headless Chromium and scores what the player reports.</summary>
public static class RealPlayback
{
    /// <summary>The shaper every run of this build uses (see docs/real-player.md).</summary>
    public const string ShaperName = "application (per-packet trace replay in the media server, RTT as a per-segment delay)";

    /// <summary>Plays <paramref name="trace"/> once, starting the link at trace time <paramref name="startMs"/>.</summary>
    public static async Task<TracePlayback> PlayAsync(LinkTrace trace, long startMs, RealPlaybackOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(options);
        var wall = Stopwatch.StartNew();
        var sizes = ReadSizes(options.VideoDir);
        var chunks = sizes.Min(l => l.Count);
        using var http = new HttpClient { BaseAddress = options.PolicyServer, Timeout = TimeSpan.FromSeconds(30) };
        using var created = await http.PostAsJsonAsync("v1/sessions", new { label = trace.Name }, cancellationToken).ConfigureAwait(false);
        var createdBody = await created.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"policy server {options.PolicyServer}: POST /v1/sessions answered {(int)created.StatusCode}: {createdBody}");
        }

        var session = JsonNode.Parse(createdBody)?["session"]?.GetValue<string>()
            ?? throw new InvalidOperationException("policy server: POST /v1/sessions answered without a session id: " + createdBody);
        PlayerLog log;
        IReadOnlyList<ShapedResponse> shaped;
        var finished = false;
        try
        {
            (log, shaped) = await WatchAsync(trace, startMs, session, chunks, sizes, options, wall, cancellationToken).ConfigureAwait(false);
            finished = true;
        }
        finally
        {
            // The session is closed whether the playback finished or not (the server would keep its state otherwise);
            // when the playback failed, its error is the one reported, not a failure to close.
            using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                using (await http.DeleteAsync(new Uri("v1/sessions/" + Uri.EscapeDataString(session), UriKind.Relative), closing.Token).ConfigureAwait(false))
                {
                }
            }
            catch (Exception e) when (!finished && e is HttpRequestException or OperationCanceledException)
            {
            }
        }

        if (log.Errors.Count > 0)
        {
            throw new InvalidOperationException($"trace {trace.Name}: the player failed: {string.Join("; ", log.Errors)}");
        }

        if (log.Chunks.Count != chunks)
        {
            throw new InvalidOperationException($"trace {trace.Name}: the player logged {log.Chunks.Count} media segments, the video has {chunks}");
        }

        var (perChunk, startup, stalls) = Attribute(log);
        var real = QoeSummary.Score(perChunk, options.FirstQuality, stalls);
        var latencies = log.Decisions.Select(d => d.LatencyMs).ToArray();
        var server50 = log.Decisions.Where(d => d.ServerMs is not null).Select(d => d.ServerMs!.Value).ToArray();
        return new TracePlayback(trace.Name, log, real, null, startup, Percentile(latencies, 0.5), Percentile(latencies, 0.99),
            Percentile(server50, 0.5), shaped, ShaperName, wall.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Stall seconds per chunk: a stall's time in (end of chunk i−1, end of chunk i] counts for chunk i, as the
    /// simulator charges a chunk the stall during its download; the startup (the page waiting before the first frame)
    /// counts for chunk 0 only, which is not scored.
    /// </summary>
    public static (List<(int Quality, double RebufferSeconds)> Chunks, double StartupSeconds, double StallSeconds) Attribute(PlayerLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var ordered = log.Chunks.OrderBy(c => c.Index).ToList();
        var started = log.PlaybackStartedMs ?? 0;
        var result = new List<(int, double)>(ordered.Count);
        var previousEnd = 0.0;
        double startup = 0, stalled = 0;
        foreach (var s in log.Stalls)
        {
            if (s.StartMs <= 1 && s.EndMs <= started + 1)
            {
                startup += s.EndMs - s.StartMs;
            }
            else
            {
                stalled += s.EndMs - s.StartMs;
            }
        }

        for (var i = 0; i < ordered.Count; i++)
        {
            var end = i == ordered.Count - 1 ? double.MaxValue : ordered[i].EndMs;
            var ms = 0.0;
            foreach (var s in log.Stalls)
            {
                var isStartup = s.StartMs <= 1 && s.EndMs <= started + 1;
                if (isStartup)
                {
                    ms += i == 0 ? s.EndMs - s.StartMs : 0;
                    continue;
                }

                var lo = Math.Max(s.StartMs, previousEnd);
                var hi = Math.Min(s.EndMs, end);
                if (hi > lo)
                {
                    ms += hi - lo;
                }
            }

            result.Add((ordered[i].Quality, ms / 1000.0));
            previousEnd = ordered[i].EndMs;
        }

        return (result, startup / 1000.0, stalled / 1000.0);
    }

    /// <summary>Runs the simulator over the same trace and video with <paramref name="policy"/> (null when the video is not the simulator's 48 chunks).</summary>
    public static QoeSummary? Simulate(BandwidthTrace trace, string videoDir, IPolicy<AbrObservation, int> policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        AbrVideo video;
        try
        {
            video = VideoLoader.LoadDirectory(videoDir);
        }
        catch (InvalidDataException)
        {
            return null;
        }

        using var environment = new AbrEnvironment(new AbrScenario("realtest", [trace], video, null, deterministic: true));
        var observation = environment.Reset(0).Observation;
        var chunks = new List<(int, double)> { (observation.Level, observation.LastChunk.RebufferSeconds) };
        var stall = 0.0;
        policy.BeginEpisode();
        while (true)
        {
            var step = environment.Step(policy.Act(observation));
            observation = step.Observation;
            chunks.Add((observation.Level, observation.LastChunk.RebufferSeconds));
            stall += observation.LastChunk.RebufferSeconds;
            if (step.Terminated)
            {
                break;
            }
        }

        return QoeSummary.Score(chunks, AbrConstants.DefaultQuality, stall);
    }

    /// <summary>Reads video_size_0..5 (every line but the convention's extra last one).</summary>
    public static IReadOnlyList<IReadOnlyList<long>> ReadSizes(string videoDir)
    {
        var levels = new List<IReadOnlyList<long>>();
        for (var level = 0; level < AbrConstants.BitrateLevels; level++)
        {
            var path = Path.Combine(videoDir, VideoLoader.FilePrefix + level.ToString(CultureInfo.InvariantCulture));
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path}: missing chunk-size file (make the video with tools/player/make-media.sh)", path);
            }

            var values = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).Select(l => long.Parse(l.Trim(), CultureInfo.InvariantCulture)).ToList();
            if (values.Count < 2)
            {
                throw new InvalidDataException($"{path}: {values.Count} lines; a chunk-size file has one line per chunk plus one");
            }

            levels.Add(values.Take(values.Count - 1).ToList());
        }

        return levels;
    }

    /// <summary>The <paramref name="q"/> quantile (nearest rank) of <paramref name="values"/>; NaN when empty.</summary>
    public static double Percentile(IReadOnlyList<double> values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(q * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>Serves the video over the shaped link, plays it in Chromium and polls the page until it ends.</summary>
    private static async Task<(PlayerLog Log, IReadOnlyList<ShapedResponse> Shaped)> WatchAsync(
        LinkTrace trace, long startMs, string session, int chunks, IReadOnlyList<IReadOnlyList<long>> sizes, RealPlaybackOptions options, Stopwatch wall, CancellationToken cancellationToken)
    {
        using var shaper = new TraceShaper(trace, options.RttMs, startMs);
        await using var server = new MediaServer(options.PlayerDir, options.VideoDir, shaper, options.PolicyServer, sizes);
        await using var browser = await HeadlessChromium.LaunchAsync(options.Chromium, cancellationToken).ConfigureAwait(false);
        var page = new Uri(server.BaseAddress, $"?session={Uri.EscapeDataString(session)}&first={options.FirstQuality.ToString(CultureInfo.InvariantCulture)}");
        await browser.NavigateAsync(page, cancellationToken).ConfigureAwait(false);
        var limit = options.TimeLimit ?? TimeSpan.FromSeconds((chunks * 4 * 4) + 120);
        while (true)
        {
            await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
            var json = await browser.EvaluateAsync("window.netllm ? window.netllm.snapshot() : null", cancellationToken).ConfigureAwait(false);
            if (json is not null && PlayerLog.Parse(json).Done)
            {
                if (options.ScreenshotPath is not null)
                {
                    await browser.ScreenshotAsync(options.ScreenshotPath, cancellationToken).ConfigureAwait(false);
                }

                return (PlayerLog.Parse(json), server.Shaped);
            }

            if (wall.Elapsed > limit)
            {
                var state = await browser.EvaluateAsync("window.netllm ? window.netllm.state() : null", cancellationToken).ConfigureAwait(false);
                throw new TimeoutException(TimeoutMessage(trace.Name, limit, chunks, json, state, server));
            }
        }
    }

    /// <summary>
    /// Why a playback did not finish: how far the page got, what the video element is doing and which segments the
    /// media server is still sending.
    /// </summary>
    private static string TimeoutMessage(string trace, TimeSpan limit, int chunks, string? log, string? state, MediaServer server)
    {
        var logged = log is null ? 0 : PlayerLog.Parse(log).Chunks.Count;
        var sending = server.Sending;
        var inFlight = sending.Count == 0 ? "none" : string.Join(", ", sending.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} since {s.Value:F0} ms")));
        return $"trace {trace}: the player did not finish within {limit.TotalSeconds:F0} s: the page logged {logged} of {chunks} media segments, " +
            $"the media server sent {server.Shaped.Count} and is sending {inFlight}; video element {state ?? "not ready"}";
    }
}
