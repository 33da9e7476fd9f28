using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.AdaptiveBitrate.Running;
using NetLlm.Tasks.AdaptiveBitrate.Settings;

namespace NetLlm.Tasks.AdaptiveBitrate.Results;

/// <summary>
/// Builds the <c>test</c> report: JSON with <c>mean_qoe</c>, <c>n_traces</c>, <c>n_chunks_scored</c>,
/// <c>mean_bitrate_mbps</c>, <c>mean_rebuffer_s</c>, <c>mean_abs_dbitrate_mbps</c>, <c>seed</c>, <c>per_trace</c>,
/// <c>policy</c> and <c>setting</c> (the first policy's at the top level; every policy under <c>runs</c> when several
/// were tested), the headline metric, the per-trace distribution and the QoE terms
/// (<c>bitrate</c> − <c>rebuffer</c> − <c>smoothness</c> = mean QoE).
/// </summary>
public static class AbrReportBuilder
{
    /// <summary>Builds the report of one or more runs over the same configuration.</summary>
    /// <param name="configuration">The resolved configuration.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="runs">One run per policy, in the order given.</param>
    /// <param name="resultsDirectories">Where each run's result files went (null entries when not written).</param>
    public static TaskReport Build(AbrRunConfiguration configuration, int seed, IReadOnlyList<AbrRunResult> runs, IReadOnlyList<string?> resultsDirectories)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("no runs to report", nameof(runs));
        }

        var objects = runs.Select((r, i) => RunJson(configuration, seed, r, resultsDirectories[i])).ToList();
        var json = objects[0];
        if (runs.Count > 1)
        {
            var all = new JsonArray();
            foreach (var o in objects)
            {
                all.Add(o.DeepClone());
            }

            json["runs"] = all;
        }

        var first = runs[0];
        var summary = runs.Select(r => SummaryLine(configuration, r)).ToList();
        return new TaskReport
        {
            Json = json,
            Metric = first.MeanQoe,
            Distribution = first.Traces.Select(t => t.MeanQoe).ToList(),
            Components = new Dictionary<string, double>
            {
                ["bitrate"] = first.Qoe.MeanBitrateMbps,
                ["rebuffer"] = first.Qoe.MeanRebufferPenalty,
                ["smoothness"] = first.Qoe.MeanSmoothnessMbps,
            },
            Summary = summary,
        };
    }

    private static JsonObject RunJson(AbrRunConfiguration configuration, int seed, AbrRunResult run, string? resultsDirectory)
    {
        var perTrace = new JsonArray();
        foreach (var t in run.Traces)
        {
            perTrace.Add(new JsonObject { ["name"] = t.Name, ["mean_qoe"] = t.MeanQoe });
        }

        var q = run.Qoe;
        var json = new JsonObject
        {
            ["task"] = "abr",
            ["policy"] = run.PolicyId,
            ["setting"] = configuration.SettingName,
            ["seed"] = seed,
            ["mean_qoe"] = q.MeanQoe,
            ["n_traces"] = run.Traces.Count,
            ["n_chunks_scored"] = q.Scored,
            ["mean_bitrate_mbps"] = q.MeanBitrateMbps,
            ["mean_rebuffer_s"] = q.MeanRebufferSeconds,
            ["mean_abs_dbitrate_mbps"] = q.MeanSmoothnessMbps,
            ["mean_qoe_all_chunks"] = q.MeanQoeAllChunks,
            ["qoe_terms"] = new JsonObject
            {
                ["bitrate"] = q.MeanBitrateMbps,
                ["rebuffer"] = q.MeanRebufferPenalty,
                ["smoothness"] = q.MeanSmoothnessMbps,
            },
            ["traces"] = configuration.TracesSource,
            ["video"] = configuration.Scenario.Video.Name,
            ["deterministic"] = configuration.Scenario.Deterministic,
            ["argmax"] = configuration.Arguments.Flag(AbrOptionNames.Argmax),
            ["per_trace"] = perTrace,
        };
        if (resultsDirectory is not null)
        {
            json["results_dir"] = resultsDirectory;
        }

        return json;
    }

    private static string SummaryLine(AbrRunConfiguration configuration, AbrRunResult run)
    {
        var q = run.Qoe;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{run.PolicyId} on {configuration.SettingName ?? configuration.TracesSource}: mean QoE {q.MeanQoe:F5} over {run.Traces.Count} traces ({q.Scored} chunks scored); " +
            $"bitrate {q.MeanBitrateMbps:F4} Mbps, rebuffer {q.MeanRebufferSeconds:F4} s/chunk (penalty {q.MeanRebufferPenalty:F4}), smoothness {q.MeanSmoothnessMbps:F4} Mbps");
    }
}
