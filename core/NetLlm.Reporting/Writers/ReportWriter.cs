using NetLlm.Core.IO;
using NetLlm.Reporting.Plots;
using NetLlm.Reporting.Results;
using NetLlm.Reporting.Statistics;

namespace NetLlm.Reporting.Writers;

/// <summary>
/// Writes a whole report folder: <c>results.json</c>, <c>results.csv</c>, <c>items.csv</c>, <c>summary.md</c> and
/// the PNG plots under <c>plots/</c>. Each file is written atomically; PNG files under <c>plots/</c> that this
/// report does not draw (left by an earlier report in the same folder) are removed, so the folder never mixes two
/// evaluations; other files are left alone.
/// </summary>
public static class ReportWriter
{
    /// <summary>Writes the report; returns the files written, relative to <paramref name="folder"/>.</summary>
    /// <param name="results">The evaluation's runs.</param>
    /// <param name="folder">The report folder (created when missing).</param>
    /// <param name="plots">False to skip the plots.</param>
    public static IReadOnlyList<string> Write(EvaluationResults results, string folder, bool plots = true)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        var summary = new EvaluationSummary(results);
        var files = new List<string>();
        AtomicFile.Write(Path.Combine(folder, ReportFiles.ResultsJson), stream => ResultsJsonWriter.Write(summary, stream));
        files.Add(ReportFiles.ResultsJson);
        AtomicFile.WriteAllText(Path.Combine(folder, ReportFiles.ResultsCsv), ResultsCsvWriter.Runs(results));
        files.Add(ReportFiles.ResultsCsv);
        AtomicFile.WriteAllText(Path.Combine(folder, ReportFiles.ItemsCsv), ResultsCsvWriter.Items(results));
        files.Add(ReportFiles.ItemsCsv);
        var pngs = plots ? ReportPlots.Draw(summary, folder, ReportFiles.PlotsFolder) : [];
        RemoveStalePlots(folder, pngs);
        AtomicFile.WriteAllText(Path.Combine(folder, ReportFiles.SummaryMarkdown), SummaryMarkdownWriter.Write(summary, pngs));
        files.Add(ReportFiles.SummaryMarkdown);
        files.AddRange(pngs);
        return files;
    }

    private static void RemoveStalePlots(string folder, IReadOnlyList<string> drawn)
    {
        var plotsFolder = Path.Combine(folder, ReportFiles.PlotsFolder);
        if (!Directory.Exists(plotsFolder))
        {
            return;
        }

        var keep = drawn.Select(p => Path.GetFullPath(Path.Combine(folder, p))).ToHashSet(StringComparer.Ordinal);
        foreach (var png in Directory.GetFiles(plotsFolder, "*.png").Where(f => !keep.Contains(Path.GetFullPath(f))))
        {
            File.Delete(png);
        }
    }
}
