using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.JobScheduling.Simulation;
using TorchSharp;

namespace NetLlm.Tasks.JobScheduling.Definition;

/// <summary>
/// <c>netllm bench cjs</c>: environment steps per second and wall time of whole episodes, single-threaded (libtorch
/// limited to one thread), for FIFO and Fair unless policies are given; compared with the original on this kind
/// of machine (about 1,400 steps/s and 2.5 s per 200-job episode). With <c>--episodes N</c> (N &gt; 1) it also
/// reports the mean and spread of the average JCT over seeds seed .. seed+N−1 for each policy. Episodes are timed
/// after a warm-up of at least two seconds (the JIT's steady state); the first, cold episode is reported beside them.
/// </summary>
public static class CjsBenchVerb
{
    /// <summary>Steps per second of the original simulator with FIFO/Fair (reference-numbers.md).</summary>
    public const double OriginalStepsPerSecond = 1400;

    /// <summary>Seconds per default episode of the original (reference-numbers.md).</summary>
    public const double OriginalEpisodeSeconds = 2.5;

    private const double WarmupSeconds = 2.0;
    private const int MinWarmupEpisodes = 3;
    private const int MaxWarmupEpisodes = 100;

    /// <summary>Runs the verb.</summary>
    /// <param name="request">The request.</param>
    public static TaskReport Run(TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var args = request.Arguments.WithDefaults(CjsSettings.Default.Values);
        var options = CjsSettings.ToOptions(args);
        var repeats = args.Integer(CjsSettings.BenchRepeats, 5);
        var episodes = args.Integer(CjsSettings.Episodes, 1);
        if (repeats < 1 || episodes < 1)
        {
            throw new ArgumentException($"options --{CjsSettings.BenchRepeats} and --{CjsSettings.Episodes} must be at least 1");
        }

        var policies = request.Policies.Count > 0 ? request.Policies : ["cjs.fifo", "cjs.fair"];
        var catalog = CjsTaskDefinition.Catalog(request);
        catalog.LoadAll();
        var setting = CjsSettings.Describe(request.Setting, request.Arguments);
        var results = new JsonObject();
        var summary = new List<string>();
        var components = new Dictionary<string, double>();
        var threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            using var progress = request.Progress.Start("cjs bench", policies.Count * (1 + repeats + (episodes > 1 ? episodes : 0)));
            foreach (var name in policies)
            {
                var entry = BenchPolicy(name, request, args, catalog, options, repeats, episodes, progress);
                results[name] = entry;
                var stepsPerSecond = entry["steps_per_s"]!.GetValue<double>();
                components[$"{name}.steps_per_s"] = stepsPerSecond;
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {entry["steps"]} steps in {entry["episode_wall_s"]!.GetValue<double>():F3} s per episode = {stepsPerSecond:F0} steps/s ({stepsPerSecond / OriginalStepsPerSecond:F0}x the original's {OriginalStepsPerSecond:F0})");
                if (episodes > 1)
                {
                    line += string.Create(CultureInfo.InvariantCulture,
                        $"; avg JCT {entry["avg_jct_s_mean"]!.GetValue<double>():F2} ± {entry["avg_jct_s_std"]!.GetValue<double>():F2} s over {episodes} seeds");
                }

                summary.Add(line);
            }
        }
        finally
        {
            torch.set_num_threads(threads);
        }

        var json = new JsonObject
        {
            ["task"] = CjsTaskDefinition.TaskId,
            ["setting"] = setting,
            ["seed"] = request.Seed,
            ["options"] = CjsTestVerb.OptionsJson(options),
            ["threads"] = 1,
            ["repeats"] = repeats,
            ["episodes"] = episodes,
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

        return new TaskReport { Json = json, Components = components, Summary = summary };
    }

    private static JsonObject BenchPolicy(
        string name,
        TaskRequest request,
        TaskArguments args,
        Data.TpchCatalog catalog,
        SparkSimulatorOptions options,
        int repeats,
        int episodes,
        IProgressTask progress)
    {
        using var policy = CjsPolicyResolver.Create(name, request, args);
        using var env = new SparkSchedulingEnvironment(catalog, options);

        // The first episodes run partly in the runtime's unoptimised and instrumented code tiers (tiered JIT); the
        // figures are for the steady state, reached after about a second, and the first episode is reported apart.
        var cold = EpisodeRunner.Run(env, policy, request.Seed, request.Cancellation);
        var warmup = 1;
        var warmupClock = Stopwatch.StartNew();
        while (warmup < MaxWarmupEpisodes && (warmup < MinWarmupEpisodes || warmupClock.Elapsed.TotalSeconds < WarmupSeconds))
        {
            EpisodeRunner.Run(env, policy, request.Seed, request.Cancellation);
            warmup++;
        }

        progress.Advance(1, $"{name} warm-up");

        var walls = new List<double>();
        var cpu = new List<double>();
        var allocated = new List<double>();
        EpisodeResult? last = null;
        for (var r = 0; r < repeats; r++)
        {
            GC.Collect();
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            last = EpisodeRunner.Run(env, policy, request.Seed, request.Cancellation);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds);
            allocated.Add((GC.GetAllocatedBytesForCurrentThread() - bytes) / 1048576.0);
            walls.Add(last.WallSeconds);
            progress.Advance(1, string.Create(CultureInfo.InvariantCulture, $"{name} {last.WallSeconds:F3} s"));
        }

        var wall = Median(walls);
        var entry = new JsonObject
        {
            ["steps"] = last!.Steps,
            ["events"] = last.Events,
            ["avg_jct_s"] = last.AverageJctSeconds,
            ["episode_wall_s"] = wall,
            ["episode_wall_s_best"] = walls.Min(),
            ["cold_episode_wall_s"] = cold.WallSeconds,
            ["warmup_episodes"] = warmup,
            ["episode_cpu_s"] = Median(cpu),
            ["allocated_mb_per_episode"] = Median(allocated),
            ["steps_per_s"] = last.Steps / wall,
            ["events_per_s"] = last.Events / wall,
            ["speedup_steps_per_s"] = last.Steps / wall / OriginalStepsPerSecond,
            ["speedup_episode_time"] = OriginalEpisodeSeconds / wall,
        };

        if (episodes > 1)
        {
            var jcts = new List<double>();
            var steps = new List<double>();
            for (var e = 0; e < episodes; e++)
            {
                var result = EpisodeRunner.Run(env, policy, request.Seed + e, request.Cancellation);
                jcts.Add(result.AverageJctSeconds);
                steps.Add(result.Steps);
                progress.Advance(1, string.Create(CultureInfo.InvariantCulture, $"{name} seed {request.Seed + e}: {result.AverageJctSeconds:F2} s"));
            }

            entry["avg_jct_s_mean"] = jcts.Average();
            entry["avg_jct_s_std"] = CjsTestVerb.Std(jcts);
            entry["avg_jct_s_min"] = jcts.Min();
            entry["avg_jct_s_max"] = jcts.Max();
            entry["steps_mean"] = steps.Average();
            entry["avg_jct_s_per_seed"] = new JsonArray(jcts.Select(j => (JsonNode)j).ToArray());
        }

        return entry;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
    }
}
