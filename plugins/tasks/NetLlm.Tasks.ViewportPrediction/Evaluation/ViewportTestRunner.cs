using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.ViewportPrediction.Data;

namespace NetLlm.Tasks.ViewportPrediction.Evaluation;

/// <summary>The <c>test</c> verb: loads a setting's samples, runs each requested policy and reports the MAE.</summary>
internal static class ViewportTestRunner
{
    public static TaskReport Run(TaskRequest request, TaskArguments arguments, string setting)
    {
        if (request.Policies.Count == 0)
        {
            throw new ArgumentException("vp test: give at least one --policy (vp.lr, vp.velocity, vp.track or an adapted run directory)");
        }

        var options = ViewportTaskOptions.Parse(arguments);
        var data = ViewportDataset.Load(request.DataRoot, options.Data, request.Cancellation);
        var samples = options.WithImages(request.DataRoot, options.Limit > 0 ? data.Samples.Take(options.Limit).ToList() : data.Samples);
        if (samples.Count == 0)
        {
            throw new InvalidDataException($"vp test: no samples in {options.Data.Dataset.Name} {options.Data.Split} with these windows (traces too short for trim {options.Data.Window.TrimHead} / {options.Data.Window.TrimTail})");
        }

        var results = new List<(string Policy, JsonObject Json, ViewportEvaluation Evaluation)>();
        foreach (var policyName in request.Policies)
        {
            using var policy = ViewportPredictionTask.CreatePolicy(request, arguments, policyName);
            var evaluation = ViewportEvaluator.Evaluate(policy, samples, options.BatchSize, request.Progress, request.Cancellation);
            var json = evaluation.Metrics.ToJson();
            json["task"] = ViewportPredictionTask.TaskId;
            json["policy"] = policyName;
            json["setting"] = setting;
            json["seed"] = request.Seed;
            ViewportReportFields.AddData(json, data);
            json["predict_s"] = evaluation.Seconds;
            json["samples_per_s"] = evaluation.SamplesPerSecond;
            if (policy is Policies.IVpPolicyDescription described)
            {
                json["policy_info"] = described.Describe();
            }
            results.Add((policyName, json, evaluation));
        }

        var first = results[0];
        JsonObject document;
        if (results.Count == 1)
        {
            document = first.Json;
        }
        else
        {
            document = new JsonObject
            {
                ["task"] = ViewportPredictionTask.TaskId,
                ["setting"] = setting,
                ["seed"] = request.Seed,
                ["mae_deg"] = first.Evaluation.Metrics.Mae,
                ["n_samples"] = first.Evaluation.Metrics.Samples,
                ["results"] = new JsonArray(results.Select(r => (JsonNode?)r.Json).ToArray()),
            };
        }

        var axis = first.Evaluation.Metrics.AxisMae;
        return new TaskReport
        {
            Json = document,
            Metric = first.Evaluation.Metrics.Mae,
            Distribution = first.Evaluation.Metrics.PerSample,
            Components = new Dictionary<string, double> { ["roll"] = axis[0], ["pitch"] = axis[1], ["yaw"] = axis[2] },
            Summary = results.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"vp {setting} ({data.Request.Dataset.Name} {data.Request.Split.ToString().ToLowerInvariant()}, {data.Request.Window.History} -> {data.Request.Window.Future}): {r.Policy} MAE {r.Evaluation.Metrics.Mae:F3} deg over {r.Evaluation.Metrics.Samples} samples "
                + $"(roll {r.Evaluation.Metrics.AxisMae[0]:F2}, pitch {r.Evaluation.Metrics.AxisMae[1]:F2}, yaw {r.Evaluation.Metrics.AxisMae[2]:F2}; {r.Evaluation.SamplesPerSecond:F0} samples/s)")).ToList(),
        };
    }
}
