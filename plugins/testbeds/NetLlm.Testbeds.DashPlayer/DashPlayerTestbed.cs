using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Abstractions.Testbeds;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Testbeds.DashPlayer.Serving;
using NetLlm.Testbeds.DashPlayer.Shaping;

namespace NetLlm.Testbeds.DashPlayer;

/// <summary>The options of <c>realtest --task abr</c>.</summary>
public sealed record DashPlayerOptions
{
    /// <summary>The policy: a registry id (served in process when no server is given) or what the server runs.</summary>
    [Option("the policy: a baseline id or an adapted run directory, served by netllm serve; the simulator column asks the same server")]
    public string? Policy { get; init; }

    /// <summary>Trace folder (cooked time_s/Mbps files or Mahimahi files).</summary>
    [Option("trace folder: cooked traces (time_s <TAB> Mbps) or Mahimahi traces (one delivery millisecond per line); relative paths are looked up under the data root first")]
    public string? Traces { get; init; }

    /// <summary>The DASH folder of tools/player/make-media.sh.</summary>
    [Option("DASH folder written by tools/player/make-media.sh (manifest.mpd, segments, video_size_0..5)")]
    public string? Video { get; init; }

    /// <summary>Output folder.</summary>
    [Option("output folder for results.json, results.csv, summary.md and the per-chunk logs")]
    public string Out { get; init; } = "realtest-out";

    /// <summary>A running policy server (API v1).</summary>
    [Option("base address of a running policy server (API v1); default: netllm starts `netllm serve` for the policy itself (a baseline id or a run directory)")]
    public string? Server { get; init; }

    /// <summary>tools/player.</summary>
    [Option("the player folder (page/ and node_modules/dashjs); default: tools/player of the checkout")]
    public string? Player { get; init; }

    /// <summary>Play only the first N traces (sorted by name).</summary>
    [Option("play only the first N traces in name order (default: all)", Minimum = 1, Maximum = 10000)]
    public int? MaxTraces { get; init; }

    /// <summary>Quality of the first chunk.</summary>
    [Option("quality of the first chunk, fetched without asking the policy", Minimum = 0, Maximum = 5)]
    public int FirstQuality { get; init; } = 1;

    /// <summary>Adapted runs and sampling baselines take the most likely action (netllm serve --argmax).</summary>
    [Option("adapted runs and sampling baselines take the most likely action instead of sampling (netllm serve --argmax; not with option server)")]
    public bool Argmax { get; init; }

    /// <summary>RTT per segment.</summary>
    [Option("round-trip time added before each media segment, ms (the simulator's 80)", Minimum = 0, Maximum = 10000)]
    public double RttMs { get; init; } = AbrConstants.LinkRttMs;
}

/// <summary>
/// The real-player testbed of the abr task: every trace is played once by dash.js in headless Chromium over the
/// trace-shaped link, the policy answering through the policy server API; the same trace and video go through the
/// simulator for the sim-vs-real table.
/// </summary>
public sealed class DashPlayerTestbed : ITestbed
{
    /// <inheritdoc />
    public string Id => "abr.dashplayer";

    /// <inheritdoc />
    public string TaskId => "abr";

    /// <inheritdoc />
    public string Description => "dash.js in headless Chromium over a trace-shaped link, asking a policy server for every segment";

    /// <inheritdoc />
    public Type OptionsType => typeof(DashPlayerOptions);

    /// <inheritdoc />
    public async Task<int> RunAsync(TestbedContext context, object options)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = (DashPlayerOptions)options;
        var policyId = o.Policy ?? throw new ArgumentException("realtest needs a policy (option policy)");
        var traces = Resolve(o.Traces ?? throw new ArgumentException("realtest needs a trace folder (option traces)"), context.DataRoot);
        var video = Resolve(o.Video ?? throw new ArgumentException("realtest needs the DASH folder of make-media.sh (option video)"), context.DataRoot);
        var player = o.Player ?? FindPlayerDir() ?? throw new DirectoryNotFoundException("tools/player not found beside the executable or the working directory; give its path (option player)");
        var provider = context.Registry.Policies.FirstOrDefault(p => p.Id == policyId && p.TaskId == TaskId && p.ObservationType == typeof(AbrObservation));
        Func<IPolicy<AbrObservation, int>>? create = provider is null ? null : () =>
            (IPolicy<AbrObservation, int>)provider.Create(new PolicyContext(new TaskContext { DataRoot = context.DataRoot, Seed = context.Seed, Registry = context.Registry }, null), Activator.CreateInstance(provider.OptionsType)!);
        StatePolicyServer? local = null;
        ServeProcess? serve = null;
        Uri server;
        if (o.Server is { } url)
        {
            if (o.Argmax)
            {
                throw new ArgumentException("option argmax configures the server realtest starts; with option server, start that server with --argmax instead");
            }

            server = new Uri(url.EndsWith('/') ? url : url + "/");
        }
        else if (ServeProcess.CurrentNetllm() is { } netllm)
        {
            // The server's state carries the next chunk sizes from the player; its task options name a video too (RobustMPC
            // looks ahead in it): the played one when the simulator can load it (48 chunks), else the task's default.
            var full = TryLoadVideo(video) is not null;
            serve = await ServeProcess.StartAsync(netllm, policyId, full ? video : null, context.DataRoot, context.Threads, o.Argmax, context.Cancellation).ConfigureAwait(false);
            server = serve.BaseAddress;
            await context.Output.WriteLineAsync($"policy {policyId} served by netllm serve at {server}").ConfigureAwait(false);
        }
        else if (create is not null)
        {
            local = new StatePolicyServer(policyId, create);
            server = local.BaseAddress;
            await context.Output.WriteLineAsync($"policy {policyId} served in process at {server} (state-only stand-in for netllm serve)").ConfigureAwait(false);
        }
        else
        {
            throw new ArgumentException($"policy '{policyId}' is not a loaded abr baseline and this host cannot start netllm serve: start `netllm serve --task abr --policy {policyId}` and give its address (option server)");
        }

        try
        {
            var files = TraceLoader.TraceFiles(traces).Take(o.MaxTraces ?? int.MaxValue).ToList();
            if (files.Count == 0)
            {
                throw new ArgumentException($"{traces}: no trace files");
            }

            Directory.CreateDirectory(o.Out);
            var runs = new List<TracePlayback>();
            var unfinished = new List<string>();
            foreach (var file in files)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                var link = LinkTrace.Load(file);
                var cooked = File.ReadLines(file).First(l => l.Trim().Length > 0).Trim().All(char.IsAsciiDigit) ? link.ToCooked() : TraceLoader.LoadFile(file);
                var playOptions = new RealPlaybackOptions(player, video, server)
                {
                    RttMs = o.RttMs,
                    FirstQuality = o.FirstQuality,
                    ScreenshotPath = runs.Count == 0 ? Path.Combine(o.Out, "player.png") : null,
                };
                TracePlayback run;
                try
                {
                    run = await RealPlayback.PlayAsync(link, (long)Math.Round(cooked.Times[0] * 1000), playOptions, context.Cancellation).ConfigureAwait(false);
                }
                catch (TimeoutException e)
                {
                    // One player that never ends must not cost the other traces: report it and go on.
                    unfinished.Add(Path.GetFileName(file));
                    await context.Output.WriteLineAsync($"{Path.GetFileName(file)}: did not finish ({e.Message.Split(" (last log:")[0]})").ConfigureAwait(false);
                    continue;
                }

                // The simulator plays the same trace and video, asking the same server (a fresh session).
                using (var policy = new ServedPolicy(server, policyId, "sim " + Path.GetFileName(file)))
                {
                    run = run with { Simulated = RealPlayback.Simulate(cooked, video, policy) };
                }

                runs.Add(run);
                await context.Output.WriteLineAsync(Row(run)).ConfigureAwait(false);
            }

            if (runs.Count > 0)
            {
                await WriteReportAsync(o.Out, policyId, runs, context.Cancellation, unfinished).ConfigureAwait(false);
                await context.Output.WriteLineAsync($"wrote {Path.GetFullPath(o.Out)} (results.json, results.csv, summary.md, chunks/)").ConfigureAwait(false);
            }

            return unfinished.Count == 0 ? 0
                : throw new InvalidOperationException($"{unfinished.Count} of {files.Count} trace(s) did not finish ({string.Join(", ", unfinished)}){(runs.Count > 0 ? "; the others are in the report" : string.Empty)}");
        }
        finally
        {
            if (local is not null)
            {
                await local.DisposeAsync().ConfigureAwait(false);
            }

            if (serve is not null)
            {
                await serve.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static AbrVideo? TryLoadVideo(string dir)
    {
        try
        {
            return VideoLoader.LoadDirectory(dir);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static string Row(TracePlayback r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Trace}: real QoE {r.Real.MeanQoe:F4}, sim QoE {(r.Simulated?.MeanQoe ?? double.NaN):F4}, rebuffer ratio {r.Real.RebufferRatio:P2}, bitrate {r.Real.MeanBitrateKbps:F0} kbps, decision p50 {r.DecisionP50Ms:F2} ms p99 {r.DecisionP99Ms:F2} ms");

    /// <summary>Writes results.json (everything, per-chunk logs included), results.csv and summary.md.</summary>
    public static async Task WriteReportAsync(string outDir, string policy, IReadOnlyList<TracePlayback> runs, CancellationToken cancellationToken = default, IReadOnlyList<string>? unfinished = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        Directory.CreateDirectory(Path.Combine(outDir, "chunks"));
        var csv = new StringBuilder("policy,trace,real_qoe,sim_qoe,real_rebuffer_s,sim_rebuffer_s,rebuffer_ratio,real_bitrate_kbps,sim_bitrate_kbps,startup_s,decision_p50_ms,decision_p99_ms,server_decision_p50_ms,wall_s\n");
        var array = new JsonArray();
        foreach (var r in runs)
        {
            csv.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{policy},{r.Trace},{r.Real.MeanQoe:R},{r.Simulated?.MeanQoe ?? double.NaN:R},{r.Real.RebufferSeconds:R},{r.Simulated?.RebufferSeconds ?? double.NaN:R},{r.Real.RebufferRatio:R},{r.Real.MeanBitrateKbps:R},{r.Simulated?.MeanBitrateKbps ?? double.NaN:R},{r.StartupSeconds:R},{r.DecisionP50Ms:R},{r.DecisionP99Ms:R},{r.ServerDecisionP50Ms:R},{r.WallSeconds:R}"));
            await File.WriteAllTextAsync(Path.Combine(outDir, "chunks", Safe(r.Trace) + ".json"), JsonSerializer.Serialize(r.Log), cancellationToken).ConfigureAwait(false);
            array.Add(new JsonObject
            {
                ["trace"] = r.Trace, ["policy"] = policy, ["shaper"] = r.Shaper,
                ["real"] = Summary(r.Real), ["sim"] = r.Simulated is null ? null : Summary(r.Simulated),
                ["startup_s"] = Num(r.StartupSeconds), ["decision_p50_ms"] = Num(r.DecisionP50Ms), ["decision_p99_ms"] = Num(r.DecisionP99Ms),
                ["server_decision_p50_ms"] = Num(r.ServerDecisionP50Ms), ["wall_s"] = Num(r.WallSeconds),
                ["chunks"] = new JsonArray(r.Log.Chunks.OrderBy(c => c.Index).Select(c => (JsonNode?)new JsonObject
                {
                    ["index"] = c.Index, ["quality"] = c.Quality, ["bytes"] = c.Bytes, ["download_ms"] = Num(c.DownloadMs),
                    ["buffer_s"] = Num(c.BufferSeconds), ["rebuffer_ms"] = Num(c.RebufferMs),
                }).ToArray()),
            });
        }

        await File.WriteAllTextAsync(Path.Combine(outDir, "results.csv"), csv.ToString(), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(outDir, "results.json"), new JsonObject { ["policy"] = policy, ["traces"] = array }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken).ConfigureAwait(false);
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# realtest: {policy} on {runs.Count} trace(s)").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Shaper: {RealPlayback.ShaperName}.").AppendLine();
        md.AppendLine("| trace | real QoE | sim QoE | real rebuffer (s) | sim rebuffer (s) | rebuffer ratio | real bitrate (kbps) | sim bitrate (kbps) | startup (s) | decision p50 / p99 (ms) |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in runs)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Trace} | {r.Real.MeanQoe:F4} | {F(r.Simulated?.MeanQoe)} | {r.Real.RebufferSeconds:F2} | {F(r.Simulated?.RebufferSeconds, 2)} | {r.Real.RebufferRatio:P2} | {r.Real.MeanBitrateKbps:F0} | {F(r.Simulated?.MeanBitrateKbps, 0)} | {r.StartupSeconds:F2} | {r.DecisionP50Ms:F2} / {r.DecisionP99Ms:F2} |"));
        }

        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| **mean ± std** | {MeanStd(runs.Select(r => r.Real.MeanQoe))} | {MeanStd(runs.Where(r => r.Simulated is not null).Select(r => r.Simulated!.MeanQoe))} | {MeanStd(runs.Select(r => r.Real.RebufferSeconds))} | {MeanStd(runs.Where(r => r.Simulated is not null).Select(r => r.Simulated!.RebufferSeconds))} | {MeanStd(runs.Select(r => r.Real.RebufferRatio * 100))} % | {MeanStd(runs.Select(r => r.Real.MeanBitrateKbps), 0)} | {MeanStd(runs.Where(r => r.Simulated is not null).Select(r => r.Simulated!.MeanBitrateKbps), 0)} | {MeanStd(runs.Select(r => r.StartupSeconds))} | p50 {RealPlayback.Percentile(runs.SelectMany(r => r.Log.Decisions.Select(d => d.LatencyMs)).ToArray(), 0.5):F2} / p99 {RealPlayback.Percentile(runs.SelectMany(r => r.Log.Decisions.Select(d => d.LatencyMs)).ToArray(), 0.99):F2} (all decisions) |"));
        if (unfinished is { Count: > 0 })
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Did not finish (the player never ended within its time limit; left out above): {string.Join(", ", unfinished)}.");
        }

        await File.WriteAllTextAsync(Path.Combine(outDir, "summary.md"), md.ToString(), cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject Summary(QoeSummary q) => new()
    {
        ["qoe"] = Num(q.MeanQoe), ["bitrate_kbps"] = Num(q.MeanBitrateKbps), ["rebuffer_s"] = Num(q.RebufferSeconds),
        ["smoothness_mbps"] = Num(q.MeanSmoothnessMbps), ["rebuffer_ratio"] = Num(q.RebufferRatio), ["chunks"] = q.Chunks,
    };

    private static JsonNode? Num(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static string F(double? value, int digits = 4) => value is { } v && double.IsFinite(v) ? v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a";

    private static string MeanStd(IEnumerable<double> values, int digits = 2)
    {
        var list = values.Where(double.IsFinite).ToList();
        if (list.Count == 0)
        {
            return "n/a";
        }

        var mean = list.Average();
        var std = list.Count > 1 ? Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1)) : 0;
        var format = "F" + digits.ToString(CultureInfo.InvariantCulture);
        return mean.ToString(format, CultureInfo.InvariantCulture) + " ± " + std.ToString(format, CultureInfo.InvariantCulture);
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    private static string Resolve(string path, string? dataRoot)
    {
        if (Path.IsPathRooted(path) || dataRoot is null)
        {
            return path;
        }

        var under = Path.Combine(dataRoot, path);
        return Directory.Exists(under) ? under : path;
    }

    /// <summary>tools/player of the checkout: searched upwards from the working directory and from this assembly.</summary>
    public static string? FindPlayerDir()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), Path.GetDirectoryName(typeof(DashPlayerTestbed).Assembly.Location) ?? "." })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tools", "player");
                if (File.Exists(Path.Combine(candidate, "page", "netllm-player.js")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
