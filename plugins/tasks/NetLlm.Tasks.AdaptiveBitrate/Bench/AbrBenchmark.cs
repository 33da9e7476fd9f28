using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.AdaptiveBitrate.Running;
using NetLlm.Tasks.AdaptiveBitrate.Settings;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Bench;

/// <summary>
/// <c>netllm bench abr</c>: simulated chunks per second over the whole test run (default setting: 100 traces × 48
/// chunks) for each policy (BBA and RobustMPC unless policies are given), single-threaded on the calling thread.
/// Each repetition builds a fresh environment and streams every trace; repetitions continue until
/// <c>bench-seconds</c> (default 2) of measured time. Also reports the simulator alone (constant quality) and the
/// managed bytes allocated per chunk, next to the original's numbers on this machine (reference-numbers.md). Wall time
/// is the headline; chunks per CPU second of the measuring thread are reported too, because a shared machine's load
/// inflates wall time.
/// </summary>
public static class AbrBenchmark
{
    /// <summary>The original's throughput on this kind of machine (chunks/s, 1 thread).</summary>
    public static IReadOnlyDictionary<string, double> OriginalChunksPerSecond { get; } = new Dictionary<string, double>
    {
        ["abr.bba"] = 49_000,
        ["abr.mpc"] = 33_700,
        ["simulator"] = 418_000,
    };

    /// <summary>Runs the benchmark.</summary>
    /// <param name="request">The bench request (registry must hold the policies).</param>
    public static TaskReport Run(TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var configuration = AbrRunConfiguration.Resolve(request);
        var minimumSeconds = configuration.Arguments.Real(AbrOptionNames.BenchSeconds, 2.0);
        if (minimumSeconds <= 0)
        {
            throw new ArgumentException($"option --{AbrOptionNames.BenchSeconds}: must be positive, got {minimumSeconds}");
        }

        IReadOnlyList<string> policies = request.Policies.Count > 0 ? request.Policies : ["abr.bba", "abr.mpc"];
        var total = Stopwatch.StartNew();
        var byPolicy = new JsonObject();
        var rates = new JsonObject();
        var components = new Dictionary<string, double>();
        var summary = new List<string>();
        foreach (var id in policies)
        {
            var m = Measure(configuration, minimumSeconds, request.Cancellation, () => AbrPolicyResolver.Create(id, request, configuration.Arguments.Values));
            byPolicy[id] = m.ToJson(OriginalChunksPerSecond.TryGetValue(id, out var o) ? o : null);
            rates[id] = m.ChunksPerSecond;
            components[id] = m.ChunksPerSecond;
            summary.Add(m.Summary(id, OriginalChunksPerSecond.TryGetValue(id, out var orig) ? orig : null));
        }

        var simulator = MeasureSimulator(configuration, minimumSeconds, request.Cancellation);
        components["simulator"] = simulator.ChunksPerSecond;
        summary.Add(simulator.Summary("simulator only (constant quality 2)", OriginalChunksPerSecond["simulator"]));

        var json = new JsonObject
        {
            ["task"] = "abr",
            ["verb"] = "bench",
            ["seed"] = request.Seed,
            ["setting"] = configuration.SettingName,
            ["threads"] = 1,
            ["cpu_clock"] = ThreadCpuClock.IsPerThread ? "thread" : "process",
            ["processor_count"] = Environment.ProcessorCount,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["episodes_per_run"] = configuration.Episodes,
            ["chunks_per_s"] = rates,
            ["policies"] = byPolicy,
            ["simulator_only"] = simulator.ToJson(OriginalChunksPerSecond["simulator"]),
            ["wall_s"] = total.Elapsed.TotalSeconds,
        };
        return new TaskReport { Json = json, Components = components, Summary = summary };
    }

    private static Measurement Measure(AbrRunConfiguration configuration, double minimumSeconds, CancellationToken cancellation, Func<Abstractions.Policies.IPolicy<AbrObservation, int>> createPolicy)
    {
        // Warm-up run (JIT, caches), not measured.
        using (var warmPolicy = createPolicy())
        using (var warmEnv = new AbrEnvironment(configuration.Scenario))
        {
            AbrEpisodeRunner.Run(warmEnv, warmPolicy, configuration.Episodes, recordChunks: false, cancellation: cancellation);
        }

        long chunks = 0;
        long bytes = 0;
        var runs = 0;
        var elapsed = TimeSpan.Zero;
        var cpu = 0.0;
        var qoe = double.NaN;
        while (elapsed.TotalSeconds < minimumSeconds)
        {
            cancellation.ThrowIfCancellationRequested();
            using var policy = createPolicy();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var cpuBefore = ThreadCpuClock.Seconds();
            var watch = Stopwatch.StartNew();
            using var env = new AbrEnvironment(configuration.Scenario);
            var result = AbrEpisodeRunner.Run(env, policy, configuration.Episodes, recordChunks: false, cancellation: cancellation);
            watch.Stop();
            cpu += ThreadCpuClock.Seconds() - cpuBefore;
            bytes += GC.GetAllocatedBytesForCurrentThread() - before;
            elapsed += watch.Elapsed;
            chunks += result.Qoe.All;
            qoe = result.MeanQoe;
            runs++;
        }

        return new Measurement(chunks, runs, elapsed.TotalSeconds, cpu, bytes, qoe);
    }

    private static Measurement MeasureSimulator(AbrRunConfiguration configuration, double minimumSeconds, CancellationToken cancellation)
    {
        const int quality = 2;
        long chunks = 0;
        long bytes = 0;
        var runs = 0;
        var elapsed = TimeSpan.Zero;
        var cpu = 0.0;
        for (var warm = true; warm || elapsed.TotalSeconds < minimumSeconds; warm = false)
        {
            cancellation.ThrowIfCancellationRequested();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var cpuBefore = ThreadCpuClock.Seconds();
            var watch = Stopwatch.StartNew();
            using var env = new AbrEnvironment(configuration.Scenario);
            long n = 0;
            for (var e = 0; e < configuration.Episodes; e++)
            {
                env.Reset();
                n++;
                while (!env.Step(quality).Done)
                {
                    n++;
                }

                n++;
            }

            watch.Stop();
            if (warm)
            {
                continue;
            }

            cpu += ThreadCpuClock.Seconds() - cpuBefore;
            bytes += GC.GetAllocatedBytesForCurrentThread() - before;
            elapsed += watch.Elapsed;
            chunks += n;
            runs++;
        }

        return new Measurement(chunks, runs, elapsed.TotalSeconds, cpu, bytes, double.NaN);
    }

    private sealed record Measurement(long Chunks, int Runs, double Seconds, double CpuSeconds, long AllocatedBytes, double MeanQoe)
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

        public string Summary(string what, double? original) =>
            string.Create(
                CultureInfo.InvariantCulture,
                $"{what}: {ChunksPerSecond:N0} chunks/s wall, {ChunksPerCpuSecond:N0} per CPU s ({Runs} runs, {Seconds:F2} s, {(double)AllocatedBytes / Chunks:F1} B allocated per chunk)") +
            (original is { } o ? string.Create(CultureInfo.InvariantCulture, $"; original {o:N0} chunks/s, {ChunksPerSecond / o:F1}x") : string.Empty);
    }
}
