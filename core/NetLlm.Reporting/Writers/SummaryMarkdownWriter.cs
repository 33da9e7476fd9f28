using System.Globalization;
using System.Text;
using NetLlm.Reporting.Statistics;

namespace NetLlm.Reporting.Writers;

/// <summary>
/// Writes <c>summary.md</c>, the paper's comparison tables: the headline metric per policy and setting (mean ± sample
/// standard deviation over seeds, the best of each setting in bold, and the mean over settings), the improvement of
/// each setting's best policy over every other one in the metric's direction, the per-item distribution pooled over
/// seeds, the metric components (for ABR the QoE terms) and links to the plots.
/// </summary>
public static class SummaryMarkdownWriter
{
    /// <summary>The markdown text.</summary>
    /// <param name="summary">The aggregated evaluation.</param>
    /// <param name="plots">Plot files relative to the report folder (linked at the end), in order.</param>
    public static string Write(EvaluationSummary summary, IReadOnlyList<string> plots)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(plots);
        var results = summary.Results;
        var metric = results.Metric;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Evaluation: {results.Title} (`{results.Task}`)\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Metric: `{metric.Name}`{Unit(metric.Unit)}, {(metric.HigherIsBetter ? "higher" : "lower")} is better: {metric.Description}.\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Seeds: {string.Join(", ", results.Seeds)} ({results.Seeds.Count} run(s) per policy and setting). ");
        text.Append(CultureInfo.InvariantCulture, $"Policies: {string.Join(", ", results.Policies.Select(p => $"`{p}`"))}. Settings: {string.Join(", ", results.Settings.Select(s => $"`{s}`"))}.\n\n");
        ComparisonTable(text, summary);
        ImprovementTable(text, summary);
        DistributionTable(text, summary);
        ComponentTable(text, summary);
        if (plots.Count > 0)
        {
            text.Append("## Plots\n\n");
            text.Append(CultureInfo.InvariantCulture, $"CDFs of the {results.ItemQuantity} per {results.ItemName}; box plots: box = quartiles, line = median, whiskers = most extreme values within 1.5 IQR, pooled over seeds.\n\n");
            foreach (var plot in plots)
            {
                text.Append(CultureInfo.InvariantCulture, $"![{Path.GetFileNameWithoutExtension(plot)}]({plot.Replace('\\', '/')})\n");
            }
        }

        return text.ToString();
    }

    /// <summary>The comparison table alone (markdown lines), as printed by <c>netllm eval</c>.</summary>
    /// <param name="summary">The aggregated evaluation.</param>
    public static string ComparisonTable(EvaluationSummary summary)
    {
        var text = new StringBuilder();
        ComparisonTable(text, summary);
        return text.ToString();
    }

    private static void ComparisonTable(StringBuilder text, EvaluationSummary summary)
    {
        var results = summary.Results;
        var several = results.Settings.Count > 1;
        var arrow = results.Metric.HigherIsBetter ? "↑" : "↓";
        text.Append(CultureInfo.InvariantCulture, $"## {results.Metric.Name}{Unit(results.Metric.Unit)} {arrow} (mean ± std over seeds; best per setting in bold)\n\n");
        var header = new List<string> { "policy" };
        header.AddRange(results.Settings);
        if (several)
        {
            header.Add("mean over settings");
        }

        Row(text, header);
        Row(text, header.Select((_, i) => i == 0 ? "---" : "---:"));
        var bestOverall = BestOf(results.Policies, summary.MeanOverSettings, results.Metric.HigherIsBetter);
        foreach (var policy in results.Policies)
        {
            var row = new List<string> { $"`{policy}`" };
            foreach (var setting in results.Settings)
            {
                var cell = summary.Cell(policy, setting);
                var value = results.Seeds.Count > 1 ? $"{ReportNumber.Table(cell.Mean)} ± {ReportNumber.Table(cell.Std)}" : ReportNumber.Table(cell.Mean);
                row.Add(summary.Best[setting] == policy ? $"**{value}**" : value);
            }

            if (several)
            {
                var mean = ReportNumber.Table(summary.MeanOverSettings[policy]);
                row.Add(policy == bestOverall ? $"**{mean}**" : mean);
            }

            Row(text, row);
        }

        text.Append('\n');
    }

    private static void ImprovementTable(StringBuilder text, EvaluationSummary summary)
    {
        if (summary.Improvements.Count == 0)
        {
            return;
        }

        var metric = summary.Results.Metric;
        var formula = metric.HigherIsBetter ? "(best − other) / |other|" : "(other − best) / |other|, the reduction";
        text.Append(CultureInfo.InvariantCulture, $"## Improvement of the best policy: {formula}\n\n");
        Row(text, ["setting", "best", "over", "best mean", "other mean", "improvement"]);
        Row(text, ["---", "---", "---", "---:", "---:", "---:"]);
        foreach (var i in summary.Improvements)
        {
            Row(text, [i.Setting, $"`{i.Best}`", $"`{i.Other}`", ReportNumber.Table(i.BestMean), ReportNumber.Table(i.OtherMean), ReportNumber.Percent(i.Percent)]);
        }

        text.Append('\n');
    }

    private static void DistributionTable(StringBuilder text, EvaluationSummary summary)
    {
        var results = summary.Results;
        if (summary.Cells.All(c => c.Items is null))
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"## Distribution of the {results.ItemQuantity} per {results.ItemName}{Unit(results.Metric.Unit)}, pooled over seeds\n\n");
        Row(text, ["setting", "policy", results.ItemName + "s", "mean", "std", "p25", "median", "p75", "min", "max"]);
        Row(text, ["---", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]);
        foreach (var setting in results.Settings)
        {
            foreach (var policy in results.Policies)
            {
                if (summary.Cell(policy, setting).Items is not { } d)
                {
                    continue;
                }

                Row(text, [setting, $"`{policy}`", d.Count.ToString(CultureInfo.InvariantCulture), ReportNumber.Table(d.Mean), ReportNumber.Table(d.Std), ReportNumber.Table(d.P25), ReportNumber.Table(d.Median), ReportNumber.Table(d.P75), ReportNumber.Table(d.Min), ReportNumber.Table(d.Max)]);
            }
        }

        text.Append('\n');
    }

    private static void ComponentTable(StringBuilder text, EvaluationSummary summary)
    {
        var results = summary.Results;
        if (results.ComponentNames.Count == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"## Components of {results.Metric.Name} (mean over seeds)\n\n");
        Row(text, ["setting", "policy", .. results.ComponentNames]);
        Row(text, ["---", "---", .. results.ComponentNames.Select(_ => "---:")]);
        foreach (var setting in results.Settings)
        {
            foreach (var policy in results.Policies)
            {
                var cell = summary.Cell(policy, setting);
                Row(text, [setting, $"`{policy}`", .. results.ComponentNames.Select(c => cell.Components.TryGetValue(c, out var v) ? ReportNumber.Table(v) : "")]);
            }
        }

        text.Append('\n');
    }

    private static string BestOf(IReadOnlyList<string> policies, IReadOnlyDictionary<string, double> means, bool higherIsBetter)
    {
        var best = policies[0];
        foreach (var p in policies.Skip(1))
        {
            if (higherIsBetter ? means[p] > means[best] : means[p] < means[best])
            {
                best = p;
            }
        }

        return best;
    }

    private static string Unit(string unit) => string.IsNullOrEmpty(unit) ? string.Empty : $" ({unit})";

    private static void Row(StringBuilder text, IEnumerable<string> cells) =>
        text.Append("| ").Append(string.Join(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal)))).Append(" |\n");
}
