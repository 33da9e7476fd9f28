using System.Text.Json;
using NetLlm.Reporting.Statistics;

namespace NetLlm.Reporting.Writers;

/// <summary>
/// Writes <c>results.json</c>: <c>task</c>, <c>title</c>, <c>metric</c> (<c>name</c>, <c>unit</c>,
/// <c>higher_is_better</c>, <c>description</c>), <c>item</c> and <c>item_quantity</c> (what a distribution value is),
/// <c>policies</c>, <c>settings</c>, <c>seeds</c>,
/// <c>cells</c> (per policy and setting: mean, std, min, max over seeds, pooled item statistics, component means),
/// <c>best</c> (per setting), <c>improvements</c> (best over each other policy, percent in the metric's direction),
/// <c>mean_over_settings</c> and <c>runs</c> (metric, components, distribution and summary of each run). Holds no
/// times or paths of the machine, so the same runs give the same bytes.
/// </summary>
public static class ResultsJsonWriter
{
    /// <summary>Writes the document to <paramref name="stream"/>.</summary>
    /// <param name="summary">The aggregated evaluation.</param>
    /// <param name="stream">Destination (left open).</param>
    public static void Write(EvaluationSummary summary, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var results = summary.Results;
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("task", results.Task);
        json.WriteString("title", results.Title);
        json.WriteStartObject("metric");
        json.WriteString("name", results.Metric.Name);
        json.WriteString("unit", results.Metric.Unit);
        json.WriteBoolean("higher_is_better", results.Metric.HigherIsBetter);
        json.WriteString("description", results.Metric.Description);
        json.WriteEndObject();
        json.WriteString("item", results.ItemName);
        json.WriteString("item_quantity", results.ItemQuantity);
        WriteStrings(json, "policies", results.Policies);
        WriteStrings(json, "settings", results.Settings);
        json.WriteStartArray("seeds");
        foreach (var seed in results.Seeds)
        {
            json.WriteNumberValue(seed);
        }

        json.WriteEndArray();
        json.WriteStartArray("cells");
        foreach (var cell in summary.Cells)
        {
            WriteCell(json, cell);
        }

        json.WriteEndArray();
        json.WriteStartArray("best");
        foreach (var setting in results.Settings)
        {
            var policy = summary.Best[setting];
            json.WriteStartObject();
            json.WriteString("setting", setting);
            json.WriteString("policy", policy);
            json.WriteNumber("mean", summary.Cell(policy, setting).Mean);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("improvements");
        foreach (var i in summary.Improvements)
        {
            json.WriteStartObject();
            json.WriteString("setting", i.Setting);
            json.WriteString("best", i.Best);
            json.WriteString("other", i.Other);
            json.WriteNumber("best_mean", i.BestMean);
            json.WriteNumber("other_mean", i.OtherMean);
            if (i.Percent is { } p)
            {
                json.WriteNumber("improvement_percent", p);
            }
            else
            {
                json.WriteNull("improvement_percent");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("mean_over_settings");
        foreach (var policy in results.Policies)
        {
            json.WriteNumber(policy, summary.MeanOverSettings[policy]);
        }

        json.WriteEndObject();
        json.WriteStartArray("runs");
        foreach (var run in results.Runs)
        {
            json.WriteStartObject();
            json.WriteString("policy", run.Policy);
            json.WriteString("setting", run.Setting);
            json.WriteNumber("seed", run.Seed);
            json.WriteNumber(results.Metric.Name, run.Metric);
            WriteNumbers(json, "components", run.Components);
            json.WriteStartArray("distribution");
            foreach (var v in run.Distribution)
            {
                json.WriteNumberValue(v);
            }

            json.WriteEndArray();
            WriteStrings(json, "summary", run.Summary);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCell(Utf8JsonWriter json, CellStatistics cell)
    {
        json.WriteStartObject();
        json.WriteString("policy", cell.Policy);
        json.WriteString("setting", cell.Setting);
        json.WriteNumber("seeds", cell.Seeds);
        json.WriteNumber("mean", cell.Mean);
        json.WriteNumber("std", cell.Std);
        json.WriteNumber("min", cell.Min);
        json.WriteNumber("max", cell.Max);
        if (cell.Items is { } items)
        {
            json.WriteStartObject("items");
            json.WriteNumber("count", items.Count);
            json.WriteNumber("mean", items.Mean);
            json.WriteNumber("std", items.Std);
            json.WriteNumber("min", items.Min);
            json.WriteNumber("p25", items.P25);
            json.WriteNumber("median", items.Median);
            json.WriteNumber("p75", items.P75);
            json.WriteNumber("max", items.Max);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("items");
        }

        WriteNumbers(json, "components", cell.Components);
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, double> values)
    {
        json.WriteStartObject(name);
        foreach (var (k, v) in values)
        {
            json.WriteNumber(k, v);
        }

        json.WriteEndObject();
    }
}
