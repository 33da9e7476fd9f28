using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Engine;
using NetLlm.Tasks.JobScheduling.Options;
using NetLlm.Tasks.JobScheduling.Scoring;
using NetLlm.Tasks.JobScheduling.Simulation;
using TorchSharp;

namespace NetLlm.Tasks.JobScheduling.Bench;

/// <summary>
/// <c>netllm bench cjs</c>: environment steps per second and wall time of whole episodes, single-threaded (libtorch
/// limited to one thread), for FIFO and Fair; compared with the original on this kind of machine (about 1,400 steps/s
/// and 2.5 s per 200-job episode). Each timed episode is the episode of the run's seed, after a warm-up of at least
/// two seconds (the JIT's steady state); the first, cold episode is reported beside them. With <c>--episodes N</c>
/// (N &gt; 1) it also reports the mean and spread of the average JCT over N episodes run as a test runs them (the
/// simulator seeded once, at the first).
/// </summary>
public static class CjsBenchmark
{
    /// <summary>Steps per second of the original simulator with FIFO/Fair (reference-numbers.md).</summary>
    public const double OriginalStepsPerSecond = 1400;

    /// <summary>Seconds per default episode of the original (reference-numbers.md).</summary>
    public const double OriginalEpisodeSeconds = 2.5;

    /// <summary>The schedulers timed.</summary>
    public static IReadOnlyList<string> Policies { get; } = ["cjs.fifo", "cjs.fair"];

    private const double WarmupSeconds = 2.0;
    private const int MinWarmupEpisodes = 3;
    private const int MaxWarmupEpisodes = 100;

    /// <summary>Runs the benchmark.</summary>
    /// <param name="task">The task (its environment and the policies' task).</param>
    /// <param name="options">The task's options.</param>
    /// <param name="context">Data root, seed, registry (for the baselines), progress, cancellation.</param>
    /// <param name="quick">One timed episode and no warm-up beyond the cold episode.</param>
    public static JsonObject Run(CjsTask task, CjsOptions options, TaskContext context, bool quick)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var registry = context.Registry ?? throw new ArgumentException("the cjs benchmark runs the FIFO and Fair baselines and needs the loaded plugins (TaskContext.Registry)");
        var repeats = quick ? 1 : options.BenchRepeats;
        var results = new JsonObject();
        var threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            using var progress = context.Progress.Start("cjs bench", Policies.Count * (1 + repeats + (options.Episodes > 1 ? 1 : 0)));
            foreach (var name in Policies)
            {
                using var policy = PolicyResolver.Create<CjsObservation, CjsAction>(
                    name, registry, task, context, options, [], run => throw new ArgumentException($"the cjs benchmark times baselines, not adapted runs ({run})"));
                results[name] = BenchPolicy(name, policy, task, options, context, repeats, quick, progress);
            }
        }
        finally
        {
            torch.set_num_threads(threads);
        }

        return new JsonObject
        {
            ["seed"] = context.Seed,
            ["options"] = new JsonObject
            {
                ["jobs"] = options.Jobs,
                ["executors"] = options.Executors,
                ["arrival_rate_per_ms"] = options.ArrivalRate,
                ["moving_delay_ms"] = options.MovingDelay,
                ["warmup_delay_ms"] = options.WarmupDelay,
            },
            ["threads"] = 1,
            ["repeats"] = repeats,
            ["episodes"] = options.Episodes,
            ["original"] = new JsonObject
            {
                ["steps_per_s"] = OriginalStepsPerSecond,
                ["episode_wall_s"] = OriginalEpisodeSeconds,
                ["fifo_avg_jct_s_seed_666"] = 86.12,
                ["fair_avg_jct_s_seed_666"] = 64.11,
                ["fifo_steps_seed_666"] = 3407,
                ["fair_steps_seed_666"] = 3574,
            },
            ["results"] = results,
        };
    }

    private static JsonObject BenchPolicy(string name, IPolicy<CjsObservation, CjsAction> policy, CjsTask task, CjsOptions options, TaskContext context, int repeats, bool quick, IProgressTask progress)
    {
        using var environment = (SparkSchedulingEnvironment)task.CreateEnvironment(options, context);

        // The first episodes run partly in the runtime's unoptimised and instrumented code tiers (tiered JIT); the
        // figures are for the steady state, reached after about a second, and the first episode is reported apart.
        var cold = Episode(environment, policy, context);
        var warmup = 1;
        var warmupClock = Stopwatch.StartNew();
        while (!quick && warmup < MaxWarmupEpisodes && (warmup < MinWarmupEpisodes || warmupClock.Elapsed.TotalSeconds < WarmupSeconds))
        {
            Episode(environment, policy, context);
            warmup++;
        }

        progress.Advance(1, $"{name} warm-up");
        var walls = new List<double>();
        var cpu = new List<double>();
        var allocated = new List<double>();
        (CjsEpisode Episode, double Wall)? last = null;
        for (var r = 0; r < repeats; r++)
        {
            GC.Collect();
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            last = Episode(environment, policy, context);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds);
            allocated.Add((GC.GetAllocatedBytesForCurrentThread() - bytes) / 1048576.0);
            walls.Add(last.Value.Wall);
            progress.Advance(1, string.Create(CultureInfo.InvariantCulture, $"{name} {last.Value.Wall:F3} s"));
        }

        var (episode, _) = last!.Value;
        var wall = Median(walls);
        var entry = new JsonObject
        {
            ["steps"] = episode.Steps,
            ["events"] = episode.Events,
            ["avg_jct_s"] = episode.AverageJctSeconds,
            ["episode_wall_s"] = wall,
            ["episode_wall_s_best"] = walls.Min(),
            ["cold_episode_wall_s"] = cold.Wall,
            ["warmup_episodes"] = warmup,
            ["episode_cpu_s"] = Median(cpu),
            ["allocated_mb_per_episode"] = Median(allocated),
            ["steps_per_s"] = episode.Steps / wall,
            ["events_per_s"] = episode.Events / wall,
            ["speedup_steps_per_s"] = episode.Steps / wall / OriginalStepsPerSecond,
            ["speedup_episode_time"] = OriginalEpisodeSeconds / wall,
        };

        if (options.Episodes > 1)
        {
            var scorer = new CjsScorer();
            EpisodeRunner.Run(environment, policy, options.Episodes, context.Seed, scorer, cancellation: context.Cancellation);
            var jcts = scorer.Episodes.Select(e => e.AverageJctSeconds).ToList();
            entry["avg_jct_s_mean"] = jcts.Average();
            entry["avg_jct_s_std"] = CjsScorer.SampleStd(jcts);
            entry["avg_jct_s_min"] = jcts.Min();
            entry["avg_jct_s_max"] = jcts.Max();
            entry["steps_mean"] = scorer.Episodes.Average(e => e.Steps);
            entry["avg_jct_s_per_episode"] = new JsonArray(jcts.Select(j => (JsonNode)j).ToArray());
            progress.Advance(1, string.Create(CultureInfo.InvariantCulture, $"{name}: {jcts.Average():F2} s over {options.Episodes} episodes"));
        }

        return entry;
    }

    /// <summary>One episode of the run's seed, timed as a whole (reset, policy and simulator).</summary>
    private static (CjsEpisode Episode, double Wall) Episode(SparkSchedulingEnvironment environment, IPolicy<CjsObservation, CjsAction> policy, TaskContext context)
    {
        var scorer = new CjsScorer();
        var clock = Stopwatch.StartNew();
        EpisodeRunner.Run(environment, policy, 1, context.Seed, scorer, cancellation: context.Cancellation);
        var wall = clock.Elapsed.TotalSeconds;
        return (scorer.Episodes[0], wall);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
    }
}
