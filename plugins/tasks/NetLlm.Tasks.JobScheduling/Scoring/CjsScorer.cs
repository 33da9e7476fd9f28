using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.JobScheduling.Simulation;

namespace NetLlm.Tasks.JobScheduling.Definition;

/// <summary>
/// <c>netllm test --task cjs --policy P</c>: runs one scheduler through one or more episodes and reports the average
/// JCT (<c>avg_jct_s</c>), jobs completed, environment steps and every job (<c>per_job</c>).
/// </summary>
public static class CjsTestVerb
{
    /// <summary>Runs the verb.</summary>
    /// <param name="request">The request (exactly one policy).</param>
    public static TaskReport Run(TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Policies.Count != 1)
        {
            throw new ArgumentException($"cjs test takes exactly one --policy, got {request.Policies.Count}");
        }

        var args = request.Arguments.WithDefaults(CjsSettings.Default.Values);
        var options = CjsSettings.ToOptions(args);
        var episodes = args.Integer(CjsSettings.Episodes, 1);
        if (episodes < 1)
        {
            throw new ArgumentException($"option --{CjsSettings.Episodes}: {episodes} must be at least 1");
        }

        var catalog = CjsTaskDefinition.Catalog(request);
        var policyName = request.Policies[0];
        using var policy = CjsPolicyResolver.Create(policyName, request, args);
        using var env = new SparkSchedulingEnvironment(catalog, options);
        var results = new List<EpisodeResult>();
        using (var progress = request.Progress.Start($"cjs test {policy.Id}", episodes))
        {
            for (var e = 0; e < episodes; e++)
            {
                var result = EpisodeRunner.Run(env, policy, request.Seed + e, request.Cancellation);
                results.Add(result);
                progress.Advance(1, string.Create(CultureInfo.InvariantCulture, $"avg JCT {result.AverageJctSeconds:F2} s"));
            }
        }

        var setting = CjsSettings.Describe(request.Setting, request.Arguments);
        return BuildReport(policyName, setting, request.Seed, options, results);
    }

    /// <summary>The report of a set of episodes of one policy.</summary>
    /// <param name="policy">Policy id or run directory.</param>
    /// <param name="setting">Setting name.</param>
    /// <param name="seed">First seed.</param>
    /// <param name="options">Simulator options.</param>
    /// <param name="results">Episode results.</param>
    public static TaskReport BuildReport(string policy, string setting, int seed, SparkSimulatorOptions options, IReadOnlyList<EpisodeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(options);
        var jcts = results.Select(r => r.AverageJctSeconds).ToList();
        var mean = jcts.Average();
        var perJob = new JsonArray();
        foreach (var r in results)
        {
            foreach (var job in r.Jobs)
            {
                perJob.Add(new JsonObject
                {
                    ["seed"] = r.Seed,
                    ["id"] = job.Id,
                    ["query"] = job.Query,
                    ["size"] = job.Size,
                    ["tasks"] = job.Tasks,
                    ["arrival_s"] = job.ArrivalMs * 1e-3,
                    ["completion_s"] = job.Completed ? job.CompletionMs * 1e-3 : null,
                    ["jct_s"] = job.Completed ? (job.CompletionMs - job.ArrivalMs) * 1e-3 : null,
                });
            }
        }

        var json = new JsonObject
        {
            ["task"] = CjsTaskDefinition.TaskId,
            ["policy"] = policy,
            ["setting"] = setting,
            ["seed"] = seed,
            ["options"] = OptionsJson(options),
            ["episodes"] = results.Count,
            ["avg_jct_s"] = mean,
            ["avg_jct_s_std"] = Std(jcts),
            ["jobs_completed"] = results.Sum(r => r.JobsCompleted),
            ["jobs_total"] = results.Sum(r => r.Jobs.Count),
            ["truncated_episodes"] = results.Count(r => r.Truncated),
            ["env_steps"] = results.Sum(r => r.Steps),
            ["wall_s"] = results.Sum(r => r.WallSeconds),
            ["per_episode"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
            {
                ["seed"] = r.Seed,
                ["avg_jct_s"] = r.AverageJctSeconds,
                ["jobs_completed"] = r.JobsCompleted,
                ["truncated"] = r.Truncated,
                ["env_steps"] = r.Steps,
                ["events"] = r.Events,
                ["total_reward"] = r.TotalReward,
                ["wall_s"] = r.WallSeconds,
                ["reset_s"] = r.ResetSeconds,
            }).ToArray()),
            ["per_job"] = perJob,
        };

        var spread = results.Count > 1
            ? string.Create(CultureInfo.InvariantCulture, $" ± {Std(jcts):F2} over {results.Count} episodes")
            : string.Empty;
        var truncated = results.Count(r => r.Truncated);
        if (truncated > 0)
        {
            spread += string.Create(CultureInfo.InvariantCulture,
                $" (TRUNCATED: in {truncated} episode(s) the scheduler left every executor idle while jobs waited; unfinished jobs count until then)");
        }

        var summary = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{policy} on {setting} ({options.Jobs} jobs, {options.Executors} executors), seed {seed}: average JCT {mean:F2} s{spread}, {results.Sum(r => r.JobsCompleted)} jobs completed, {results.Sum(r => r.Steps)} steps, {results.Sum(r => r.WallSeconds):F2} s"),
        };

        return new TaskReport
        {
            Json = json,
            Metric = mean,
            Distribution = results.SelectMany(r => r.JobDurationsSeconds).ToList(),
            Summary = summary,
        };
    }

    /// <summary>The simulator options as JSON.</summary>
    /// <param name="options">Options.</param>
    public static JsonObject OptionsJson(SparkSimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JsonObject
        {
            ["jobs"] = options.Jobs,
            ["executors"] = options.Executors,
            ["arrival_rate_per_ms"] = options.ArrivalRatePerMs,
            ["moving_delay_ms"] = options.MovingDelayMs,
            ["warmup_delay_ms"] = options.WarmupDelayMs,
        };
    }

    /// <summary>Sample standard deviation (0 for fewer than two values).</summary>
    /// <param name="values">Values.</param>
    public static double Std(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
