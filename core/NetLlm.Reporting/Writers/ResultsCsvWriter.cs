using System.Text;
using NetLlm.Reporting.Results;

namespace NetLlm.Reporting.Writers;

/// <summary>
/// Writes <c>results.csv</c> (one row per run: <c>task,policy,setting,seed,&lt;metric&gt;,items,&lt;components...&gt;</c>)
/// and <c>items.csv</c> (one row per distribution item: <c>policy,setting,seed,index,value</c>, the item's value in the
/// metric's unit). Numbers are
/// written in round-trip form.
/// </summary>
public static class ResultsCsvWriter
{
    /// <summary>The text of <c>results.csv</c>.</summary>
    /// <param name="results">The results.</param>
    public static string Runs(EvaluationResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.Append(Csv.Line(["task", "policy", "setting", "seed", results.Metric.Name, "items", .. results.ComponentNames]));
        foreach (var run in results.Runs)
        {
            var components = results.ComponentNames.Select(c => run.Components.TryGetValue(c, out var v) ? ReportNumber.Exact(v) : string.Empty);
            text.Append(Csv.Line([
                results.Task,
                run.Policy,
                run.Setting,
                run.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ReportNumber.Exact(run.Metric),
                run.Distribution.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                .. components,
            ]));
        }

        return text.ToString();
    }

    /// <summary>The text of <c>items.csv</c>.</summary>
    /// <param name="results">The results.</param>
    public static string Items(EvaluationResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.Append(Csv.Line(["policy", "setting", "seed", "index", "value"]));
        foreach (var run in results.Runs)
        {
            var prefix = Csv.Escape(run.Policy) + "," + Csv.Escape(run.Setting) + "," + run.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",";
            for (var i = 0; i < run.Distribution.Count; i++)
            {
                text.Append(prefix).Append(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',').Append(ReportNumber.Exact(run.Distribution[i])).Append('\n');
            }
        }

        return text.ToString();
    }
}
