using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.ViewportPrediction.Data;

namespace NetLlm.Tasks.ViewportPrediction.Evaluation;

/// <summary>
/// The <c>bench</c> verb: how fast every Jin2022 trace file loads (2,268 files), prediction samples per second of
/// each policy (by default the deterministic baselines; adapted run directories with <c>--policy</c>) on the setting's
/// samples, and the NetLLM model's test-time throughput with and without the key/value cache, best of several repeats.
/// </summary>
internal static class ViewportBenchmark
{
    private static readonly string[] DefaultPolicies = ["vp.lr", "vp.velocity", "vp.hold"];

    public static TaskReport Run(TaskRequest request, TaskArguments arguments, string setting)
    {
        var options = ViewportTaskOptions.Parse(arguments);
        var repeats = arguments.Integer("repeats", 3);
        if (repeats < 1)
        {
            throw new ArgumentException($"option --repeats: {repeats} must be positive");
        }

        var folder = options.Data.ResolveFolder(request.DataRoot);
        var load = MeasureLoadAll(folder, ViewportDatasetCatalog.Jin2022, repeats, options.Data.TimeTolerance, request.Cancellation);
        var data = ViewportDataset.Load(request.DataRoot, options.Data, request.Cancellation);
        var samples = options.Limit > 0 ? data.Samples.Take(options.Limit).ToList() : data.Samples;
        var policies = request.Policies.Count > 0
            ? request.Policies
            : DefaultPolicies.Where(id => request.Registry.LegacyPolicies.Any(p => p.Id == id)).ToList();

        var results = new JsonArray();
        var summary = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"load Jin2022: {load.Files} files, {load.Rows} rows in {load.BestSeconds * 1000:F0} ms best of {repeats} ({load.Files / load.BestSeconds:F0} files/s)"),
        };
        foreach (var policyName in policies)
        {
            using var policy = ViewportPredictionTask.CreatePolicy(request, arguments, policyName);
            var best = double.PositiveInfinity;
            double mae = double.NaN;
            for (var r = 0; r < repeats; r++)
            {
                var evaluation = ViewportEvaluator.Evaluate(policy, samples, options.BatchSize, cancellation: request.Cancellation);
                best = Math.Min(best, evaluation.Seconds);
                mae = evaluation.Metrics.Mae;
            }

            results.Add(new JsonObject
            {
                ["policy"] = policyName,
                ["n_samples"] = samples.Count,
                ["best_s"] = best,
                ["samples_per_s"] = samples.Count / best,
                ["mae_deg"] = mae,
            });
            summary.Add(string.Create(CultureInfo.InvariantCulture,
                $"{policyName}: {samples.Count / best:F0} samples/s ({samples.Count} samples in {best * 1000:F1} ms, best of {repeats}; MAE {mae:F3} deg)"));
        }

        var modelSamples = samples.Take(arguments.Integer("bench-model-samples", 256)).ToList();
        var model = ViewportModelBenchmark.Run(
            request.Registry,
            arguments.Text("bench-backbone", ViewportModelBenchmark.DefaultPreset)!,
            modelSamples,
            options.BatchSize,
            repeats,
            request.Seed);
        if (model["skipped"] is null)
        {
            summary.Add(string.Create(CultureInfo.InvariantCulture,
                $"NetLLM VP model on {model["backbone"]}: {(double)model["kv_cache_samples_per_s"]!:F1} samples/s with the KV cache, {(double)model["recompute_samples_per_s"]!:F1} recomputing ({(double)model["kv_cache_speedup"]!:F2}x)"));
        }

        var json = new JsonObject
        {
            ["task"] = ViewportPredictionTask.TaskId,
            ["setting"] = setting,
            ["seed"] = request.Seed,
            ["processor_count"] = Environment.ProcessorCount,
            ["torch_threads"] = TorchSharp.torch.get_num_threads(),
            ["repeats"] = repeats,
            ["load_all"] = new JsonObject
            {
                ["dataset"] = "Jin2022",
                ["files"] = load.Files,
                ["rows"] = load.Rows,
                ["best_s"] = load.BestSeconds,
                ["mean_s"] = load.MeanSeconds,
                ["files_per_s"] = load.Files / load.BestSeconds,
            },
            ["policies"] = results,
            ["netllm_model"] = model,
        };
        ViewportReportFields.AddData(json, data);
        json["n_samples"] = samples.Count;
        return new TaskReport { Json = json, Summary = summary };
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
}
