using System.Diagnostics;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Benchmarks;
using NetLlm.Core.Engine;
using NetLlm.Tasks.AdaptiveBitrate.Scoring;
using NetLlm.Tasks.AdaptiveBitrate.Settings;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Bench;

/// <summary>
/// <c>netllm bench abr</c>: simulated chunks per second over the whole test run (default setting: 100 traces × 48
/// chunks) for BBA and RobustMPC (created through the registry), single-threaded on the calling thread, with the
/// engine's episode loop and the task's scorer as <c>test</c> runs them. Each repetition builds a fresh environment and
/// streams every trace; repetitions continue until <c>bench-seconds</c> (default 2; at most 0.25 when quick) of
/// measured time. Also reports the simulator alone (constant quality) and the managed bytes allocated per chunk, next
/// to the original's numbers on this machine (reference-numbers.md). Wall time is the headline; chunks per CPU second
/// of the measuring thread are reported too, because a shared machine's load inflates wall time.
/// </summary>
public static class AbrBenchmark
{
    /// <summary>The policies measured.</summary>
    public static IReadOnlyList<string> Policies { get; } = ["abr.bba", "abr.mpc"];

    /// <summary>The original's throughput on this kind of machine (chunks/s, 1 thread).</summary>
    public static IReadOnlyDictionary<string, double> OriginalChunksPerSecond { get; } = new Dictionary<string, double>
    {
        ["abr.bba"] = 49_000,
        ["abr.mpc"] = 33_700,
        ["simulator"] = 418_000,
    };

    /// <summary>Runs the benchmark.</summary>
    /// <param name="task">The task (its protocol; the policies' task).</param>
    /// <param name="options">Resolved options (the default setting unless others were given).</param>
    /// <param name="context">Seed, data root, cancellation and the registry holding the policies.</param>
    /// <param name="quick">Measure at most 0.25 s per policy.</param>
    public static JsonObject Run(AbrTask task, AbrOptions options, TaskContext context, bool quick)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var registry = context.Registry ?? throw new InvalidOperationException("the abr benchmark creates its policies through the plugin registry, and the host gave none");
        var minimumSeconds = quick ? Math.Min(options.BenchSeconds, 0.25) : options.BenchSeconds;
        var scenario = AbrScenarioLoader.Load(options, context);
        var episodes = options.Episodes ?? scenario.TraceCount;
        var total = Stopwatch.StartNew();
        var byPolicy = new JsonObject();
        var rates = new JsonObject();
        foreach (var id in Policies)
        {
            IPolicy<AbrObservation, int> Create() => PolicyResolver.Create<AbrObservation, int>(
                id, registry, task, context, options, [], _ => throw new InvalidOperationException("the abr benchmark measures baselines only"));
            var m = Measure(task, scenario, episodes, minimumSeconds, context, Create);
            byPolicy[id] = m.ToJson(OriginalChunksPerSecond.TryGetValue(id, out var o) ? o : null);
            rates[id] = m.ChunksPerSecond;
        }

        var simulator = MeasureSimulator(scenario, episodes, minimumSeconds, context.Cancellation);
        return new JsonObject
        {
            ["seed"] = context.Seed,
            ["traces"] = scenario.Name,
            ["video"] = scenario.Video.Name,
            ["threads"] = 1,
            ["cpu_clock"] = ThreadCpuClock.IsPerThread ? "thread" : "process",
            ["processor_count"] = Environment.ProcessorCount,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["episodes_per_run"] = episodes,
            ["chunks_per_s"] = rates,
            ["policies"] = byPolicy,
            ["simulator_only"] = simulator.ToJson(OriginalChunksPerSecond["simulator"]),
            ["wall_s"] = total.Elapsed.TotalSeconds,
        };
    }

    private static Measurement Measure(AbrTask task, AbrScenario scenario, int episodes, double minimumSeconds, TaskContext context, Func<IPolicy<AbrObservation, int>> createPolicy)
    {
        var ask = task.Protocol.AskOnFinalObservation;

        // Warm-up runs, not measured, until the JIT has settled (JitWarmup): timing the slow tiers measures the JIT.
        var warmup = WarmUp(minimumSeconds, context.Cancellation, () =>
        {
            using var warmPolicy = createPolicy();
            using var warmEnv = new AbrEnvironment(scenario);
            EpisodeRunner.Run(warmEnv, warmPolicy, episodes, context.Seed, new AbrRunScorer(), askOnFinalObservation: ask, cancellation: context.Cancellation);
        });

        long chunks = 0;
        long bytes = 0;
        var runs = 0;
        var elapsed = TimeSpan.Zero;
        var cpu = 0.0;
        var qoe = double.NaN;
        while (elapsed.TotalSeconds < minimumSeconds)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            using var policy = createPolicy();
            var scorer = new AbrRunScorer();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var cpuBefore = ThreadCpuClock.Seconds();
            var watch = Stopwatch.StartNew();
            using var env = new AbrEnvironment(scenario);
            EpisodeRunner.Run(env, policy, episodes, context.Seed, scorer, askOnFinalObservation: ask, cancellation: context.Cancellation);
            watch.Stop();
            cpu += ThreadCpuClock.Seconds() - cpuBefore;
            bytes += GC.GetAllocatedBytesForCurrentThread() - before;
            elapsed += watch.Elapsed;
            chunks += scorer.Qoe.All;
            qoe = scorer.Qoe.MeanQoe;
            runs++;
        }

        return new Measurement(chunks, runs, elapsed.TotalSeconds, cpu, bytes, qoe, warmup);
    }

    private static Measurement MeasureSimulator(AbrScenario scenario, int episodes, double minimumSeconds, CancellationToken cancellation)
    {
        const int quality = 2;
        static long RunAll(AbrScenario scenario, int episodes)
        {
            using var env = new AbrEnvironment(scenario);
            long n = 0;
            for (var e = 0; e < episodes; e++)
            {
                env.Reset();
                n++;
                while (!env.Step(quality).Done)
                {
                    n++;
                }

                n++;
            }

            return n;
        }

        var warmup = WarmUp(minimumSeconds, cancellation, () => RunAll(scenario, episodes));
        long chunks = 0;
        long bytes = 0;
        var runs = 0;
        var elapsed = TimeSpan.Zero;
        var cpu = 0.0;
        while (elapsed.TotalSeconds < minimumSeconds)
        {
            cancellation.ThrowIfCancellationRequested();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var cpuBefore = ThreadCpuClock.Seconds();
            var watch = Stopwatch.StartNew();
            var n = RunAll(scenario, episodes);
            watch.Stop();
            cpu += ThreadCpuClock.Seconds() - cpuBefore;
            bytes += GC.GetAllocatedBytesForCurrentThread() - before;
            elapsed += watch.Elapsed;
            chunks += n;
            runs++;
        }

        return new Measurement(chunks, runs, elapsed.TotalSeconds, cpu, bytes, double.NaN, warmup);
    }

    // At least half a second (a quarter in --quick), then until no method was compiled for half a second (1.5 s on one
    // processor, where the runtime starts tier-up later), at most 5 s (2 s in --quick).
    private static WarmupResult WarmUp(double minimumSeconds, CancellationToken cancellation, Action iteration)
    {
        var quick = minimumSeconds < 0.5;
        return JitWarmup.Run(iteration, Math.Min(0.5, minimumSeconds), JitWarmup.QuietSecondsFor(Environment.ProcessorCount), quick ? 2.0 : 5.0, cancellation);
    }

    private sealed record Measurement(long Chunks, int Runs, double Seconds, double CpuSeconds, long AllocatedBytes, double MeanQoe, WarmupResult Warmup)
    {
        public double ChunksPerSecond => Chunks / Seconds;

        public double ChunksPerCpuSecond => Chunks / CpuSeconds;

        public JsonObject ToJson(double? original)
        {
            var json = new JsonObject
            {
                ["chunks_per_s"] = ChunksPerSecond,
                ["chunks"] = Chunks,
                ["runs"] = Runs,
                ["warmup_s"] = Warmup.Seconds,
                ["warmup_settled"] = Warmup.Settled,
                ["wall_s"] = Seconds,
                ["cpu_s"] = CpuSeconds,
                ["chunks_per_cpu_s"] = ChunksPerCpuSecond,
                ["allocated_bytes_per_chunk"] = (double)AllocatedBytes / Chunks,
            };
            if (!double.IsNaN(MeanQoe))
            {
                json["mean_qoe"] = MeanQoe;
            }

            if (original is { } o)
            {
                json["original_chunks_per_s"] = o;
                json["speedup_vs_original"] = ChunksPerSecond / o;
            }

            return json;
        }
    }
}
