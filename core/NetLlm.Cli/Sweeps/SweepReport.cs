using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NetLlm.Core.Adaptation;
using NetLlm.Core.IO;

namespace NetLlm.Cli.Sweeps;

/// <summary>
/// The sweep's report in its output folder: <c>results.csv</c> (one row per item: the axis values, status, attempts,
/// the run's steps and last loss from its run.json, the test metric, seconds and the error) and <c>summary.md</c>
/// (the same as a table with the counts of done and failed items).
/// </summary>
public static class SweepReport
{
    /// <summary>Writes both files; returns their names.</summary>
    /// <param name="lines">The sweep's command lines and folders.</param>
    /// <param name="items">The grid.</param>
    /// <param name="state">The state after the run.</param>
    public static IReadOnlyList<string> Write(SweepCommandLines lines, IReadOnlyList<SweepItem> items, SweepState state)
    {
        var rows = items.Select(i => Row(lines, i, state[i.Id])).ToList();
        var header = new List<string> { "item" };
        header.AddRange(lines.File.Axes.Select(a => a.Name));
        header.AddRange(["status", "attempts", "failures", "steps", "last_loss", "metric", "adapt_seconds", "test_seconds", "error"]);

        var csv = new StringBuilder().AppendLine(string.Join(',', header.Select(Csv)));
        foreach (var row in rows)
        {
            csv.AppendLine(string.Join(',', row.Select(Csv)));
        }

        AtomicFile.WriteAllText(Path.Combine(lines.Output, "results.csv"), csv.ToString());

        var done = state.Items.Count(i => i.Status == SweepItemStatus.Done);
        var failed = state.Items.Count(i => i.Status == SweepItemStatus.Failed);
        var md = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Sweep of {lines.File.Task}: {done} of {items.Count} done, {failed} failed")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Sweep file: `{lines.File.Path}`")
            .AppendLine()
            .AppendLine("| " + string.Join(" | ", header) + " |")
            .AppendLine("|" + string.Concat(header.Select(_ => " --- |")));
        foreach (var row in rows)
        {
            md.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" "))) + " |");
        }

        AtomicFile.WriteAllText(Path.Combine(lines.Output, "summary.md"), md.ToString());
        return ["results.csv", "summary.md"];
    }

    private static List<string> Row(SweepCommandLines lines, SweepItem item, SweepItemState state)
    {
        var run = new RunDirectory(lines.RunDirectory(item));
        var result = run.Exists ? run.ReadManifest()["result"] as JsonObject : null;
        var row = new List<string> { item.Id };
        row.AddRange(item.Values.Select(v => v.Values[0]));
        row.Add(state.Status.ToString().ToLowerInvariant());
        row.Add(state.Attempts.ToString(CultureInfo.InvariantCulture));
        row.Add(state.Failures.ToString(CultureInfo.InvariantCulture));
        row.Add(result?["steps"]?.ToJsonString() ?? "");
        row.Add(result?["last_loss"] is JsonValue loss ? loss.GetValue<double>().ToString("R", CultureInfo.InvariantCulture) : "");
        row.Add(state.Metric?.ToString("R", CultureInfo.InvariantCulture) ?? "");
        row.Add(state.AdaptSeconds.ToString("F1", CultureInfo.InvariantCulture));
        row.Add(state.TestSeconds.ToString("F1", CultureInfo.InvariantCulture));
        row.Add(state.Error ?? "");
        return row;
    }

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
