using System.Diagnostics;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Plugins;
using NetLlm.Core.Adaptation;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Model;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Evaluation;

/// <summary>
/// Test-time throughput of the NetLLM viewport model on a built-in backbone preset (random weights: the speed does
/// not depend on them): autoregressive prediction with the key/value cache against the original's re-computation of
/// the whole sequence at every step.
/// </summary>
internal static class ViewportModelBenchmark
{
    public const string DefaultPreset = "llama-tiny-2x256";

    public static JsonObject Run(IPluginRegistry registry, string preset, IReadOnlyList<ViewportSample> samples, int batchSize, int repeats, int seed)
    {
        if (!registry.Backbones.Any(b => b.Presets.ContainsKey(preset)))
        {
            return new JsonObject { ["backbone"] = preset, ["skipped"] = $"no loaded backbone plugin has the preset '{preset}'" };
        }

        using var backbone = BackboneFactory.FromPreset(registry, preset, "float32", seed);
        backbone.Module.eval();
        manual_seed(seed);
        using var model = new VpModel(backbone.HiddenSize);
        model.Module.eval();
        var batches = samples.Chunk(batchSize).ToList();
        double Measure(Func<IReadOnlyList<ViewportSample>, Tensor> predict)
        {
            var best = double.PositiveInfinity;
            for (var r = 0; r < repeats; r++)
            {
                var watch = Stopwatch.StartNew();
                foreach (var batch in batches)
                {
                    using var prediction = predict(batch);
                }

                best = Math.Min(best, watch.Elapsed.TotalSeconds);
            }

            return best;
        }

        var cached = Measure(batch => model.Predict(backbone, batch));
        var recomputed = Measure(batch => model.PredictRecomputing(backbone, batch));
        return new JsonObject
        {
            ["backbone"] = preset,
            ["hidden_size"] = backbone.HiddenSize,
            ["layers"] = backbone.Info.NumLayers,
            ["n_samples"] = samples.Count,
            ["batch_size"] = batchSize,
            ["kv_cache_best_s"] = cached,
            ["kv_cache_samples_per_s"] = samples.Count / cached,
            ["recompute_best_s"] = recomputed,
            ["recompute_samples_per_s"] = samples.Count / recomputed,
            ["kv_cache_speedup"] = recomputed / cached,
        };
    }
}
