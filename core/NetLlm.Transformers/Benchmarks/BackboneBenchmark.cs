using System.Diagnostics;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Plugins;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Benchmarks;

/// <summary>
/// <c>netllm bench backbone</c>: for each model and libtorch thread count, the latency of one inference forward pass
/// over <c>batch x tokens</c> input embeddings (no gradients, no LM head), its peak memory, and the cost of one more
/// <c>StepTokens</c>-token step through the key/value cache compared with recomputing the longer window.
/// </summary>
public static class BackboneBenchmark
{
    /// <summary>Runs the benchmark; models are built from the presets of the registry's backbone providers.</summary>
    /// <param name="registry">Registry holding the backbone providers.</param>
    /// <param name="options">What to measure (defaults when null).</param>
    /// <param name="log">Optional progress lines.</param>
    /// <returns>
    /// JSON with one entry per (model, threads): wall-clock and CPU medians of the forward pass; memory
    /// (<see cref="PeakMemory.Method"/>) of building the model, of the first (cold) forward pass, which includes the
    /// allocator's growth, and of a warmed-up forward pass; the cached step and the full recompute; the load average.
    /// </returns>
    public static JsonObject Run(IPluginRegistry registry, BackboneBenchmarkOptions? options = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        options ??= new BackboneBenchmarkOptions();
        var originalThreads = get_num_threads();
        var runs = new JsonArray();
        try
        {
            foreach (var threads in options.Threads)
            {
                set_num_threads(threads);
                foreach (var (family, preset) in options.Models)
                {
                    var provider = registry.Backbones.FirstOrDefault(b => b.Family == family)
                        ?? throw new KeyNotFoundException($"no backbone family '{family}' is loaded (known: {string.Join(", ", registry.Backbones.Select(b => b.Family))})");
                    if (!provider.Presets.TryGetValue(preset, out var config))
                    {
                        throw new KeyNotFoundException($"backbone family '{family}' has no preset '{preset}' (known: {string.Join(", ", provider.Presets.Keys)})");
                    }

                    var result = Measure(provider, preset, config, options);
                    result["threads"] = get_num_threads();
                    runs.Add(result);
                    log?.Invoke($"{preset} threads={threads}: forward {result["forward_ms_median"]} ms, +{options.StepTokens} cached {result["kv_step_ms_median"]} ms");
                }
            }
        }
        finally
        {
            set_num_threads(originalThreads);
        }

        return new JsonObject
        {
            ["benchmark"] = "backbone",
            ["tokens"] = options.Tokens,
            ["batch"] = options.Batch,
            ["step_tokens"] = options.StepTokens,
            ["dtype"] = options.DType,
            ["repeats"] = options.Repeats,
            ["warmup"] = options.Warmup,
            ["memory_method"] = PeakMemory.Method,
            ["default_num_threads"] = originalThreads,
            ["load_average_1m"] = LoadAverage(),
            ["runs"] = runs,
        };
    }

    private static JsonObject Measure(IBackboneProvider provider, string preset, string config, BackboneBenchmarkOptions o)
    {
        IBackbone? built = null;
        var modelBytes = PeakMemory.Measure(() => built = provider.FromConfig(config, new BackboneLoadOptions { DType = o.DType, Seed = o.Seed, RandomInit = true }));
        using var backbone = built!;
        using var gen = new TorchSharp.torch.Generator((ulong)o.Seed);
        using var window = randn([o.Batch, o.Tokens + o.StepTokens, backbone.HiddenSize], generator: gen).to(backbone.ComputeDType);
        using var prefix = window.narrow(1, 0, o.Tokens);
        using var step = window.narrow(1, o.Tokens, o.StepTokens);
        using var noGrad = no_grad();

        void Forward(Tensor x, IKvCache? cache = null) => backbone.Forward(new BackboneInput { InputsEmbeds = x, Cache = cache }).Dispose();

        var coldPeak = PeakMemory.Measure(() => Forward(prefix));
        for (var i = 0; i < o.Warmup; i++)
        {
            Forward(prefix);
        }

        var (forward, forwardCpu) = Time(o.Repeats, () => Forward(prefix));
        var peak = PeakMemory.Measure(() => Forward(prefix));
        var (recompute, _) = Time(o.Repeats, () => Forward(window));
        var cachedStep = new List<double>(o.Repeats);
        var cachedStepCpu = new List<double>(o.Repeats);
        long cacheBytes = 0;
        for (var i = 0; i < o.Repeats + o.Warmup; i++)
        {
            using var cache = backbone.CreateCache();
            Forward(prefix, cache);
            var (wall, cpu) = Time(1, () => Forward(step, cache));
            if (i >= o.Warmup)
            {
                cachedStep.Add(wall[0]);
                cachedStepCpu.Add(cpu[0]);
            }

            cacheBytes = (long)backbone.Info.NumLayers * 2 * o.Batch * (o.Tokens + o.StepTokens) * backbone.Info.NumKeyValueHeads
                * (backbone.Info.HiddenSize / backbone.Info.NumAttentionHeads) * ElementSize(backbone.ComputeDType);
        }

        return new JsonObject
        {
            ["preset"] = preset,
            ["family"] = provider.Family,
            ["layers"] = backbone.Info.NumLayers,
            ["hidden"] = backbone.HiddenSize,
            ["parameters"] = backbone.Info.ParameterCount,
            ["forward_ms_median"] = Round(Median(forward)),
            ["forward_ms_min"] = Round(forward.Min()),
            ["forward_cpu_ms_median"] = Round(Median(forwardCpu)),
            ["parameter_mb"] = Round(backbone.Info.ParameterCount * (double)ElementSize(backbone.ComputeDType) / (1024.0 * 1024.0)),
            ["model_rss_mb"] = Round(modelBytes / (1024.0 * 1024.0)),
            ["first_forward_peak_rss_delta_mb"] = Round(coldPeak / (1024.0 * 1024.0)),
            ["steady_forward_peak_rss_delta_mb"] = Round(peak / (1024.0 * 1024.0)),
            ["recompute_plus_step_ms_median"] = Round(Median(recompute)),
            ["kv_step_ms_median"] = Round(Median(cachedStep)),
            ["kv_step_cpu_ms_median"] = Round(Median(cachedStepCpu)),
            ["kv_cache_mb"] = Round(cacheBytes / (1024.0 * 1024.0)),
        };
    }

    /// <summary>Wall-clock and process CPU milliseconds of each run (CPU time is robust to other load on the machine).</summary>
    private static (List<double> Wall, List<double> Cpu) Time(int repeats, Action action)
    {
        var wall = new List<double>(repeats);
        var cpu = new List<double>(repeats);
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < repeats; i++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            action();
            sw.Stop();
            process.Refresh();
            wall.Add(sw.Elapsed.TotalMilliseconds);
            cpu.Add((process.TotalProcessorTime - cpu0).TotalMilliseconds);
        }

        return (wall, cpu);
    }

    private static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var n = sorted.Count;
        return n == 0 ? double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    private static double Round(double v) => Math.Round(v, 3);

    private static int ElementSize(ScalarType t) => t is ScalarType.BFloat16 or ScalarType.Float16 ? 2 : 4;
}
