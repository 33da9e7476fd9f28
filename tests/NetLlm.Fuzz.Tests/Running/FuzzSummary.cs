using System.Globalization;
using System.Text;
using System.Text.Json;
using NetLlm.Fuzz.Tests.Formats;

namespace NetLlm.Fuzz.Tests.Running;

/// <summary>Writes the suite's summary: <c>summary.md</c> (a table per format and every failing case) and <c>cases.jsonl</c>.</summary>
public static class FuzzSummary
{
    /// <summary>Writes the summary into <see cref="FuzzSettings.OutputFolder"/>; returns the markdown.</summary>
    public static string Write(FuzzSettings settings, string runner, IReadOnlyList<FuzzFormat> formats, IReadOnlyList<CaseOutcome> outcomes, IReadOnlyDictionary<string, string> cleanFailures)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Fuzz summary (seed {settings.Seed}, {settings.Cases} cases per format, {runner})");
        md.AppendLine();
        md.AppendLine("| format | read by | cases | refused (exit 1 / 2) | refusal names the file | accepted | crash | hang | silent wrong | mean s |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var format in formats)
        {
            var mine = outcomes.Where(o => o.Format == format.Name).ToList();
            if (cleanFailures.TryGetValue(format.Name, out var failure))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {format.Name} | {format.Reader} | not run: {failure.Replace('|', '/')} | | | | | | | |");
                continue;
            }

            if (mine.Count == 0)
            {
                continue;
            }

            var refused = mine.Where(o => o.Kind == CaseKind.Refused).ToList();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {format.Name} | {format.Reader} | {mine.Count} | {refused.Count} ({refused.Count(o => o.Exit == 1)} / {refused.Count(o => o.Exit == 2)}) | {refused.Count(o => o.NamesTheInput)} | {Count(mine, CaseKind.Accepted)} | {Count(mine, CaseKind.Crash)} | {Count(mine, CaseKind.Hang)} | {Count(mine, CaseKind.SilentWrong)} | {mine.Average(o => o.Seconds):F2} |");
        }

        var all = outcomes.Count;
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| **all** | | {all} | {Count(outcomes, CaseKind.Refused)} | {outcomes.Count(o => o.NamesTheInput)} | {Count(outcomes, CaseKind.Accepted)} | {Count(outcomes, CaseKind.Crash)} | {Count(outcomes, CaseKind.Hang)} | {Count(outcomes, CaseKind.SilentWrong)} | |");
        var bad = outcomes.Where(o => o.Kind is CaseKind.Crash or CaseKind.Hang or CaseKind.SilentWrong).ToList();
        md.AppendLine();
        md.AppendLine(bad.Count == 0 ? "No crash, no hang, no silent wrong result." : "## Failing cases (reproduce with the same seed and NETLLM_FUZZ_CASES above the index)");
        foreach (var o in bad)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {o.Format} #{o.Index}: {o.Kind} — {o.Damage} — {o.Message}");
        }

        var unnamed = outcomes.Where(o => o.Kind == CaseKind.Refused && !o.NamesTheInput).ToList();
        if (unnamed.Count > 0)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## Refusals that do not name the damaged file ({unnamed.Count})");
            foreach (var o in unnamed.Take(40))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {o.Format} #{o.Index} (exit {o.Exit}): {o.Damage} — {o.Message}");
            }
        }

        var text = md.ToString();
        Directory.CreateDirectory(settings.OutputFolder);
        File.WriteAllText(Path.Combine(settings.OutputFolder, "summary.md"), text);
        File.WriteAllLines(Path.Combine(settings.OutputFolder, "cases.jsonl"), outcomes.Select(o => JsonSerializer.Serialize(o)));
        return text;
    }

    private static int Count(IEnumerable<CaseOutcome> outcomes, CaseKind kind) => outcomes.Count(o => o.Kind == kind);
}
