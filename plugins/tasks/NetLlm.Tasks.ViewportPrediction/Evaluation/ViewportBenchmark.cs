using System.Diagnostics;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Model;
using NetLlm.Tasks.ViewportPrediction.Options;
using NetLlm.Tasks.ViewportPrediction.Policies;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Evaluation;

/// <summary>
/// <c>netllm bench vp</c>: how fast every Jin2022 trace file loads (2,268 files), prediction samples per second of
/// the deterministic baselines on the setting's samples, and the NetLLM model's test-time throughput with and without
/// the key/value cache on a built-in backbone preset (random weights: the speed does not depend on them), best of
/// <c>--repeats</c>. Baselines and the backbone come from the loaded plugins; what is not loaded is reported as skipped.
/// </summary>
internal static class ViewportBenchmark
{
    private static readonly string[] Baselines = ["vp.lr", "vp.velocity", "vp.hold"];

    public static JsonObject Run(ViewportPredictionTask task, VpOptions options, TaskContext context, bool quick)
    {
        var repeats = quick ? 1 : options.Repeats;
        var request = VpOptionsRules.DataRequest(options, DataSplit.Configured);
        var load = MeasureLoadAll(request.ResolveFolder(context.DataRoot), ViewportDatasetCatalog.Jin2022, repeats, options.TimeTolerance, context.Cancellation);
        var data = task.Load(options, DataSplit.Configured, context);
        var samples = options.BenchSamples > 0 ? data.Samples.Take(options.BenchSamples).ToList() : data.Samples;
        var available = context.Registry is { } plugins ? Baselines.Where(id => plugins.Policies.Any(p => p.Id == id)).ToList() : [];
        var policies = new JsonArray();
        using (var progress = context.Progress.Start("vp bench", available.Count + 1))
        {
            foreach (var id in available)
            {
                policies.Add(MeasurePolicy(task, id, options, context, samples, repeats));
                progress.Advance(1, id);
            }

            var model = MeasureModel(context.Registry, options, context, samples.Take(options.BenchModelSamples).Select(VpHistory.From).ToList(), repeats);
            progress.Advance(1, "NetLLM model");
            var json = new JsonObject
            {
                ["task"] = ViewportPredictionTask.TaskId,
                ["seed"] = context.Seed,
                ["processor_count"] = Environment.ProcessorCount,
                ["torch_threads"] = get_num_threads(),
                ["repeats"] = repeats,
                ["load_all"] = new JsonObject
                {
                    ["dataset"] = ViewportDatasetCatalog.Jin2022.Name,
                    ["files"] = load.Files,
                    ["rows"] = load.Rows,
                    ["best_s"] = load.BestSeconds,
                    ["mean_s"] = load.MeanSeconds,
                    ["files_per_s"] = load.Files / load.BestSeconds,
                },
                ["data"] = data.Provenance.DeepClone(),
                ["n_samples"] = samples.Count,
                ["policies"] = policies,
                ["netllm_model"] = model,
            };
            if (context.Registry is null)
            {
                json["skipped"] = "no plugins in the context: baselines and the NetLLM model were not measured";
            }

            return json;
        }
    }

    /// <summary>Loads every trace file of a dataset <paramref name="repeats"/> times.</summary>
    public static (int Files, long Rows, double BestSeconds, double MeanSeconds) MeasureLoadAll(
        string folder, ViewportDatasetInfo dataset, int repeats, double timeTolerance, CancellationToken cancellation)
    {
        var pairs = ViewportTraceLoader.AllPairs(dataset).ToList();
        var times = new List<double>();
        var files = 0;
        long rows = 0;
        for (var r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            var traces = ViewportTraceLoader.Load(folder, dataset, pairs, timeTolerance, cancellation);
            times.Add(watch.Elapsed.TotalSeconds);
            files = traces.Count;
            rows = traces.Values.Sum(t => (long)t.Rows);
        }

        return (files, rows, times.Min(), times.Average());
    }

    private static JsonObject MeasurePolicy(ViewportPredictionTask task, string id, VpOptions options, TaskContext context, IReadOnlyList<ViewportSample> samples, int repeats)
    {
        using var policy = PolicyResolver.Create<VpHistory, VpPrediction>(
            id, context.Registry!, task, context, options, [], run => throw new InvalidOperationException($"vp bench measures baselines, not run directories ({run})"));
        var inputs = samples.Select(VpHistory.From).ToList();
        var best = double.PositiveInfinity;
        IReadOnlyList<VpPrediction> predictions = [];
        for (var r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            predictions = Predict(policy, inputs, options.BenchBatchSize, context.Cancellation);
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        var score = ViewportScoring.Score(samples, predictions, new ScoringContext(id, "bench", context.Seed, null));
        return new JsonObject
        {
            ["policy"] = id,
            ["n_samples"] = samples.Count,
            ["best_s"] = best,
            ["samples_per_s"] = samples.Count / best,
            ["mae_deg"] = score.Metric,
        };
    }

    private static IReadOnlyList<VpPrediction> Predict(IPolicy<VpHistory, VpPrediction> policy, List<VpHistory> inputs, int batchSize, CancellationToken cancellation)
    {
        if (policy is IBatchPolicy<VpHistory, VpPrediction> batched)
        {
            var result = new List<VpPrediction>(inputs.Count);
            for (var start = 0; start < inputs.Count; start += batchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                result.AddRange(batched.ActBatch(inputs.GetRange(start, Math.Min(batchSize, inputs.Count - start))));
            }

            return result;
        }

        return inputs.Select(policy.Act).ToList();
    }

    private static JsonObject MeasureModel(IPluginRegistry? plugins, VpOptions options, TaskContext context, IReadOnlyList<VpHistory> inputs, int repeats)
    {
        var preset = options.BenchBackbone;
        if (plugins is null || !plugins.Backbones.Any(b => b.Presets.ContainsKey(preset)))
        {
            return new JsonObject { ["backbone"] = preset, ["skipped"] = $"no loaded backbone plugin has the preset '{preset}'" };
        }

        using var backbone = BackboneFactory.FromPreset(plugins, preset, "float32", context.Seed);
        backbone.Module.eval();
        manual_seed(context.Seed);
        using var model = PredictionTaskModel<ViewportSample, VpHistory, VpPrediction>.Create(
            VpModelDesign.For(new VpModelOptions()), plugins, backbone.HiddenSize, [], context.DataRoot, ViewportPredictionTask.TaskId);
        model.Module.eval();
        var vp = (VpModel)model.Model;
        var batches = inputs.Chunk(options.BenchBatchSize).ToList();
        double Measure(Func<IReadOnlyList<VpHistory>, Tensor> predict)
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

        var cached = Measure(batch => vp.PredictDegrees(backbone, batch));
        var recomputed = Measure(batch => vp.PredictRecomputing(backbone, batch));
        return new JsonObject
        {
            ["backbone"] = preset,
            ["hidden_size"] = backbone.HiddenSize,
            ["layers"] = backbone.Info.NumLayers,
            ["n_samples"] = inputs.Count,
            ["batch_size"] = options.BenchBatchSize,
            ["kv_cache_best_s"] = cached,
            ["kv_cache_samples_per_s"] = inputs.Count / cached,
            ["recompute_best_s"] = recomputed,
            ["recompute_samples_per_s"] = inputs.Count / recomputed,
            ["kv_cache_speedup"] = recomputed / cached,
        };
    }
}
