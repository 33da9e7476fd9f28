using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using Sample.NetLlmTask.Data;
using Sample.NetLlmTask.Environment;
using Sample.NetLlmTask.Policies;

namespace Sample.NetLlmTask.Evaluation;

/// <summary>
/// The <c>test</c> verb: replays every test trace in <see cref="ThroughputReplayEnvironment"/> with each policy and
/// reports the MAE and RMSE of its predictions (Mbit/s), per policy, with the per-trace MAE as the distribution.
/// </summary>
public static class ThroughputEvaluation
{
    /// <summary>Runs the verb.</summary>
    /// <param name="request">The request.</param>
    /// <param name="arguments">Options merged with the setting.</param>
    public static TaskReport Run(TaskRequest request, TaskArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Policies.Count == 0)
        {
            throw new ArgumentException($"{ThroughputTask.TaskId} test: give at least one --policy ({ThroughputTask.TaskId}.last-value, {ThroughputTask.TaskId}.harmonic-mean or an adapted run directory)");
        }

        var options = ThroughputOptions.Parse(arguments);
        var data = ThroughputDataset.Load(request.DataRoot, options, ThroughputSplit.Test);
        var setting = request.Setting ?? "default";
        var results = new List<(string Policy, ThroughputMetric Metric, double Seconds)>();
        foreach (var name in request.Policies)
        {
            using var policy = ThroughputPolicies.Create(request, arguments, name, options.Horizon);
            var clock = Stopwatch.StartNew();
            var metric = Evaluate(policy, data, options, request);
            results.Add((name, metric, clock.Elapsed.TotalSeconds));
        }

        var entries = results.Select(r => (JsonNode?)new JsonObject
        {
            ["policy"] = r.Policy,
            ["mae_mbps"] = r.Metric.Mae,
            ["rmse_mbps"] = r.Metric.Rmse,
            ["values"] = r.Metric.Values,
            ["per_trace_mae_mbps"] = new JsonArray(r.Metric.PerTrace.Select(v => (JsonNode?)v).ToArray()),
            ["seconds"] = r.Seconds,
        }).ToArray();
        var first = results[0].Metric;
        return new TaskReport
        {
            Json = new JsonObject
            {
                ["task"] = ThroughputTask.TaskId,
                ["setting"] = setting,
                ["seed"] = request.Seed,
                ["source"] = data.Source,
                ["traces"] = data.Traces.Count,
                ["history"] = options.History,
                ["horizon"] = options.Horizon,
                ["mae_mbps"] = first.Mae,
                ["results"] = new JsonArray(entries),
            },
            Metric = first.Mae,
            Distribution = first.PerTrace,
            Components = new Dictionary<string, double> { ["rmse_mbps"] = first.Rmse },
            Summary = results.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{ThroughputTask.TaskId} {setting} ({data.Source}, {data.Traces.Count} traces, history {options.History} -> {options.Horizon}): {r.Policy} MAE {r.Metric.Mae:F4} Mbps, RMSE {r.Metric.Rmse:F4} Mbps over {r.Metric.Values} values ({r.Seconds:F1} s)")).ToList(),
        };
    }

    /// <summary>Replays every trace of <paramref name="data"/> with <paramref name="policy"/> and returns the errors.</summary>
    /// <param name="policy">The predictor (borrowed).</param>
    /// <param name="data">Test traces.</param>
    /// <param name="options">History, horizon and window limit.</param>
    /// <param name="request">Seed, progress and cancellation.</param>
    public static ThroughputMetric Evaluate(IPolicy<float[], float[]> policy, ThroughputDataset data, ThroughputOptions options, TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(request);
        using var environment = new ThroughputReplayEnvironment(data.Traces, options.History, options.Horizon);
        var metric = new ThroughputMetric();
        using var progress = request.Progress.Start($"{policy.Id} on {data.Traces.Count} traces", data.Traces.Count);
        for (var trace = 0; trace < data.Traces.Count; trace++)
        {
            request.Cancellation.ThrowIfCancellationRequested();
            var observation = environment.Reset(request.Seed, new Dictionary<string, object?> { ["trace"] = trace }).Observation;
            policy.BeginEpisode();
            for (var step = 0; options.TestWindows == 0 || step < options.TestWindows; step++)
            {
                var action = policy.Act(observation);
                var result = environment.Step(action);
                metric.Add(action, (float[])result.Info["target"]!);
                policy.Observe(result.Reward, result.Done);
                observation = result.Observation;
                if (result.Done)
                {
                    break;
                }
            }

            metric.EndTrace();
            progress.Advance(1);
        }

        return metric;
    }
}
