using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;
using NetLlm.Core.Serving;
using NetLlm.Testing;

namespace NetLlm.Cli.Tests.Serving;

/// <summary>
/// One simulator episode as <c>netllm test</c> played it: the 48 player reports a real player would have posted
/// (built from the per-chunk result file and the video's chunk sizes) and the quality of every chunk.
/// </summary>
/// <param name="Requests">Request bodies for chunks 0..47.</param>
/// <param name="Levels">Quality of chunks 0..47 (chunk k+1's level is the decision answered to request k).</param>
public sealed record SimulatedEpisode(IReadOnlyList<string> Requests, IReadOnlyList<int> Levels)
{
    /// <summary>The 47 decisions the policy made inside <c>netllm test</c> (for chunks 1..47).</summary>
    public IReadOnlyList<int> Decisions => Levels.Skip(1).ToList();
}

/// <summary>
/// Shared by the serving tests: a plugin host running <c>netllm</c> in-process, the fixture trace and video, simulated
/// episodes per policy (cached), a tiny adapted ABR run (llama-tiny-2x256, a few steps on a BBA pool of generated
/// traces) and servers built as <c>netllm serve</c> builds them.
/// </summary>
public sealed class ServeFixture : IDisposable
{
    /// <summary>Seed of every run (the test verb's and the server's).</summary>
    public const int Seed = 7;

    private static readonly int[] Ladder = [300, 750, 1200, 1850, 2850, 4300];
    private readonly TempDirectory _dir = new("netllm-serve-");
    private readonly Dictionary<string, SimulatedEpisode> _episodes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private string? _run;

    /// <summary>Runs command lines in-process.</summary>
    public CliHarness Cli { get; } = new();

    /// <summary>The fixture video (chunk-size folder).</summary>
    public static string Video => Path.Combine(TestPaths.FixtureData, "abr", "videos", "video1_sizes");

    /// <summary>The fixture fcc-test traces (the first in sorted order is played).</summary>
    public static string Traces => Path.Combine(TestPaths.FixtureData, "abr", "traces", "test", "fcc-test");

    /// <summary>A tiny adapted run directory (trained once, on first use).</summary>
    public string TinyRun
    {
        get
        {
            lock (_gate)
            {
                return _run ??= Adapt();
            }
        }
    }

    /// <summary>The episode <paramref name="policy"/> plays in <c>netllm test</c> on the first fixture trace (cached).</summary>
    /// <param name="policy">Policy id or run directory.</param>
    public SimulatedEpisode Simulate(string policy)
    {
        lock (_gate)
        {
            if (!_episodes.TryGetValue(policy, out var episode))
            {
                _episodes[policy] = episode = RunTest(policy);
            }

            return episode;
        }
    }

    /// <summary>A server for <paramref name="policy"/> over the fixture video, as <c>netllm serve</c> creates it.</summary>
    /// <param name="policy">Policy id or run directory.</param>
    /// <param name="maxSessions">Session limit.</param>
    /// <param name="idleTimeout">Idle timeout of sessions, or null.</param>
    /// <param name="time">The server's clock, or null for the system's.</param>
    public IPolicyServer CreateServer(string policy, int maxSessions = 16, TimeSpan? idleTimeout = null, TimeProvider? time = null)
    {
        var request = new VerbRequest
        {
            Task = Cli.Registry.GetTask("abr"),
            Context = new TaskContext { Seed = Seed, Registry = Cli.Registry },
            Registry = Cli.Registry,
            TaskOptions = [new OptionInput("video", Video, "test")],
            Policies = [policy],
        };
        return ServingEngine.Create(request, maxSessions, idleTimeout, time);
    }

    private SimulatedEpisode RunTest(string policy)
    {
        var output = Path.Combine(_dir.Path, "results-" + _episodes.Count.ToString(CultureInfo.InvariantCulture));
        var (exit, _, error) = Cli.Run(
            "test", "--task", "abr", "--policy", policy, "--traces", Traces, "--video", Video, "--deterministic", "--trace-count", "1",
            "--out", output, "--seed", Seed.ToString(CultureInfo.InvariantCulture), "--threads", "1", "--progress", "none");
        Assert.True(exit == 0, $"netllm test {policy} failed: {error}");
        var file = Assert.Single(Directory.GetFiles(output, "result_sim_abr_*"));
        var sizes = Enumerable.Range(0, 6)
            .Select(level => File.ReadAllLines(Path.Combine(Video, "video_size_" + level.ToString(CultureInfo.InvariantCulture)))
                .Where(l => l.Length > 0).Select(l => long.Parse(l, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        var rows = File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => l.Split('\t')).ToList();
        Assert.Equal(48, rows.Count);
        var requests = new List<string>();
        var levels = new List<int>();
        for (var k = 0; k < rows.Count; k++)
        {
            var r = rows[k];
            var level = Array.IndexOf(Ladder, int.Parse(r[1], CultureInfo.InvariantCulture));
            levels.Add(level);
            var next = new JsonArray();
            for (var q = 0; q < 6; q++)
            {
                next.Add(k < 47 ? sizes[q][k + 1] : 0);
            }

            requests.Add(new JsonObject
            {
                ["chunk_index"] = k,
                ["quality"] = level,
                ["chunk_bytes"] = long.Parse(r[4], CultureInfo.InvariantCulture),
                ["download_ms"] = double.Parse(r[5], CultureInfo.InvariantCulture),
                ["buffer_s"] = double.Parse(r[2], CultureInfo.InvariantCulture),
                ["rebuffer_s"] = double.Parse(r[3], CultureInfo.InvariantCulture),
                ["next_chunk_bytes"] = next,
                ["chunks_remaining"] = 47 - k,
            }.ToJsonString());
        }

        return new SimulatedEpisode(requests, levels);
    }

    private string Adapt()
    {
        var pool = Path.Combine(_dir.Path, "pool.safetensors");
        string[] data = ["--synthetic", "--synthetic-count", "4", "--progress", "none", "--threads", "1", "--seed", Seed.ToString(CultureInfo.InvariantCulture)];
        var collect = Cli.Run(["collect", "--task", "abr", "--policy", "abr.bba", "--out", pool, .. data]);
        Assert.True(collect.Exit == 0, "collect failed: " + collect.Error);
        var run = Path.Combine(_dir.Path, "tiny-run");
        var adapt = Cli.Run(["adapt", "--task", "abr", "--pool", pool, "--out", run, "--backbone", "llama-tiny-2x256", "--batch-size", "4", "--max-steps", "3", .. data]);
        Assert.True(adapt.Exit == 0, "adapt failed: " + adapt.Error);
        return run;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Cli.Dispose();
        _dir.Dispose();
    }
}
