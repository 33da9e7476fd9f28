using NetLlm.Abstractions.Tasks;
using NetLlm.Reporting.Results;

namespace NetLlm.Reporting.Tests;

/// <summary>Small hand-made evaluations with numbers that are easy to check by hand.</summary>
internal static class SampleResults
{
    public static readonly MetricInfo Qoe = new("mean_qoe", string.Empty, true, "mean QoE");
    public static readonly MetricInfo Jct = new("avg_jct_s", "s", false, "average JCT");

    /// <summary>
    /// Two policies, two settings, two seeds. Metric of (policy a|b, setting s1|s2, seed 1|2):
    /// a/s1 = 1, 3 (mean 2); b/s1 = 4, 4 (mean 4); a/s2 = 10, 10; b/s2 = 5, 7 (mean 6). Distributions: three items each.
    /// </summary>
    public static EvaluationResults TwoByTwo(MetricInfo metric, bool components = true)
    {
        var values = new Dictionary<(string, string, int), double>
        {
            [("a", "s1", 1)] = 1,
            [("a", "s1", 2)] = 3,
            [("b", "s1", 1)] = 4,
            [("b", "s1", 2)] = 4,
            [("a", "s2", 1)] = 10,
            [("a", "s2", 2)] = 10,
            [("b", "s2", 1)] = 5,
            [("b", "s2", 2)] = 7,
        };
        var runs = values.Select(kv => Run(kv.Key.Item1, kv.Key.Item2, kv.Key.Item3, kv.Value, components)).ToList();
        return new EvaluationResults("toy", "Toy task", metric, ["a", "b"], ["s1", "s2"], [1, 2], runs, "trace");
    }

    public static EvaluationRun Run(string policy, string setting, int seed, double metric, bool components = true) => new(
        policy,
        setting,
        seed,
        metric,
        [metric - 1, metric, metric + 1],
        components ? new Dictionary<string, double> { ["bitrate"] = metric + 1, ["rebuffer"] = 0.5, ["smoothness"] = 0.5 } : new Dictionary<string, double>(),
        [$"{policy} on {setting}: {metric}"]);
}
