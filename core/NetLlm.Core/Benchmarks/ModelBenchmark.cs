using System.Diagnostics;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Plugins;
using NetLlm.Core.Adaptation;
using static TorchSharp.torch;

namespace NetLlm.Core.Benchmarks;

/// <summary>
/// The costs a user of one backbone meets, measured in one process in the order they meet them: loading (wall time,
/// resident memory split into the process's own and mapped file pages), the first and a warm inference forward pass,
/// the time to the first output, a decision of an adapted model with the KV cache on the ABR token layout (8 tokens
/// per step, 20-step window, LoRA attached), and one LoRA training step (batch of 160-token windows, optional
/// gradient checkpointing) with its peak memory. Works on a model folder (a 7B checkpoint) and on built-in presets,
/// so the two are reported side by side.
/// </summary>
public static class ModelBenchmark
{
    private const double MiB = 1024.0 * 1024.0;

    /// <summary>Runs the measurements.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="options">The backbone and what to measure.</param>
    /// <param name="log">Progress lines.</param>
    public static JsonObject Run(IPluginRegistry registry, ModelBenchmarkOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        var result = new JsonObject
        {
            ["model"] = options.Model,
            ["preset"] = options.Model is null ? options.Preset ?? "(default)" : null,
            ["dtype"] = options.DType,
            ["weights_mode"] = options.Model is null ? "random" : options.MapWeights ? "map" : "copy",
            ["lora_rank"] = options.Rank,
            ["gradient_checkpointing"] = options.GradientCheckpointing,
            ["threads"] = get_num_threads(),
            ["seed"] = options.Seed,
        };

        ProcessMemory.ReleaseFreed();
        var baseline = ProcessMemory.Resident ?? 0;
        ProcessMemory.ResetPeak();
        manual_seed(options.Seed);
        var adaptation = new AdaptationOptions
        {
            Model = options.Model,
            BackbonePreset = options.Preset,
            DType = options.DType,
            Rank = options.Rank,
            LoraDropout = 0.05,
            GradientCheckpointing = options.GradientCheckpointing,
            CopyWeights = !options.MapWeights,
        };
        var clock = Stopwatch.StartNew();
        using var adapted = AdaptedBackbone.Create(registry, adaptation, options.Seed);
        var loadSeconds = clock.Elapsed.TotalSeconds;
        var backbone = adapted.Backbone;
        var weightBytes = backbone.Info.ParameterCount * (backbone.ComputeDType is ScalarType.BFloat16 or ScalarType.Float16 ? 2L : 4L);
        result["architecture"] = backbone.Info.Architecture;
        result["layers"] = backbone.Info.NumLayers;
        result["hidden"] = backbone.HiddenSize;
        result["parameters"] = backbone.Info.ParameterCount;
        result["weights_mb"] = Round(weightBytes / MiB);
        result["load_s"] = Round(loadSeconds);
        Memory(result, "after_load", baseline);
        log?.Invoke($"loaded in {loadSeconds:F1} s");

        backbone.Module.eval();
        var (cold, warm) = Forward(adapted, options);
        result["forward_tokens"] = options.ForwardTokens;
        result["first_forward_s"] = Round(cold);
        result["forward_s"] = Round(warm);
        result["time_to_first_output_s"] = Round(loadSeconds + cold);
        var firstOutputPeak = (ProcessMemory.Peak ?? 0) - baseline;
        result["peak_rss_to_first_output_mb"] = Round(firstOutputPeak / MiB);
        result["peak_rss_to_first_output_over_weights"] = weightBytes == 0 ? null : Round((double)firstOutputPeak / weightBytes);
        Memory(result, "after_forward", baseline);
        log?.Invoke($"forward {options.ForwardTokens} tokens: first {cold:F1} s, warm {warm:F1} s");

        using var model = new ReturnConditionedModel<float[]>(new SyntheticDecisionModel(backbone.HiddenSize), 50);
        model.eval();
        result["decision_ms_kv_cache"] = Round(AdaptBenchmark.DecideMs(adapted, model, recompute: false, options.Decisions));
        result["decisions_timed"] = options.Decisions;
        result["window_steps"] = AdaptBenchmark.Window;
        log?.Invoke($"decision with the KV cache: {result["decision_ms_kv_cache"]} ms");

        var parameters = adapted.TrainableParameters.Concat(model.parameters()).ToList();
        ProcessMemory.ReleaseFreed();
        var beforeTraining = ProcessMemory.Resident ?? 0;
        ProcessMemory.ResetPeak();
        var stepMs = AdaptBenchmark.TrainMs(adapted, model, parameters, options.TrainBatch, steps: 1, repeats: 1, warmupSteps: 1)[0];
        result["train_batch_windows"] = options.TrainBatch;
        result["train_step_s"] = Round(stepMs / 1000.0);
        result["train_peak_rss_mb"] = Round(((ProcessMemory.Peak ?? 0) - baseline) / MiB);
        result["train_peak_over_resident_before_mb"] = Round(((ProcessMemory.Peak ?? 0) - beforeTraining) / MiB);
        log?.Invoke($"training step: {stepMs / 1000.0:F1} s");
        return result;
    }

    private static (double Cold, double Warm) Forward(AdaptedBackbone adapted, ModelBenchmarkOptions options)
    {
        var backbone = adapted.Backbone;
        using var generator = new Generator((ulong)options.Seed);
        using var draw = randn([1, options.ForwardTokens, backbone.HiddenSize], generator: generator);
        using var scaled = draw.mul(0.02);
        using var embeds = scaled.to(backbone.ComputeDType);
        using var noGrad = no_grad();
        double Once()
        {
            var clock = Stopwatch.StartNew();
            backbone.Forward(new Abstractions.Backbones.BackboneInput { InputsEmbeds = embeds }).Dispose();
            return clock.Elapsed.TotalSeconds;
        }

        var cold = Once();
        return (cold, Once());
    }

    private static void Memory(JsonObject result, string phase, long baseline)
    {
        result[$"rss_{phase}_mb"] = Round(((ProcessMemory.Resident ?? 0) - baseline) / MiB);
        result[$"rss_anonymous_{phase}_mb"] = ProcessMemory.ResidentAnonymous is { } a ? Round(a / MiB) : null;
        result[$"rss_file_{phase}_mb"] = ProcessMemory.ResidentFile is { } f ? Round(f / MiB) : null;
    }

    private static double Round(double v) => Math.Round(v, 3);
}
