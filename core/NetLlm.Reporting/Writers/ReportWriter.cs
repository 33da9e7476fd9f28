using NetLlm.Core.IO;
using NetLlm.Reporting.Plots;
using NetLlm.Reporting.Results;
using NetLlm.Reporting.Statistics;

namespace NetLlm.Reporting.Writers;

/// <summary>
/// Writes a whole report folder: <c>results.json</c>, <c>results.csv</c>, <c>items.csv</c>, <c>summary.md</c> and
/// the PNG plots under <c>plots/</c>. Each file is written atomically; other files in the folder are left alone.
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
        AtomicFile.WriteAllText(Path.Combine(folder, ReportFiles.SummaryMarkdown), SummaryMarkdownWriter.Write(summary, pngs));
        files.Add(ReportFiles.SummaryMarkdown);
        files.AddRange(pngs);
        return files;
    }
}
