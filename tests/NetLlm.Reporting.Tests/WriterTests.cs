using System.Text.Json.Nodes;
using NetLlm.Reporting.Results;
using NetLlm.Reporting.Statistics;
using NetLlm.Reporting.Writers;
using NetLlm.Testing;

namespace NetLlm.Reporting.Tests;

public sealed class WriterTests
{
    [Fact]
    public void ResultsCsv_HasOneRowPerRunWithRoundTripNumbers()
    {
        var csv = ResultsCsvWriter.Runs(SampleResults.TwoByTwo(SampleResults.Qoe)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(9, csv.Length);
        Assert.Equal("task,policy,setting,seed,mean_qoe,items,bitrate,rebuffer,smoothness", csv[0]);
        Assert.Equal("toy,a,s1,1,1,3,2,0.5,0.5", csv[1]);
        Assert.Equal("toy,b,s2,2,7,3,8,0.5,0.5", csv[8]);
    }

    [Fact]
    public void Csv_QuotesFieldsWithCommasAndQuotes()
    {
        var run = SampleResults.Run("runs/llama,lora \"r8\"", "s", 1, 0.1 + 0.2, components: false);
        var results = new EvaluationResults("toy", "Toy", SampleResults.Qoe, [run.Policy], ["s"], [1], [run]);
        var lines = ResultsCsvWriter.Runs(results).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("task,policy,setting,seed,mean_qoe,items", lines[0]);
        Assert.Equal("toy,\"runs/llama,lora \"\"r8\"\"\",s,1,0.30000000000000004,3", lines[1]);
    }

    [Fact]
    public void ItemsCsv_ListsEveryDistributionItem()
    {
        var lines = ResultsCsvWriter.Items(SampleResults.TwoByTwo(SampleResults.Qoe)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(1 + (8 * 3), lines.Length);
        Assert.Equal("policy,setting,seed,index,value", lines[0]);
        Assert.Equal("a,s1,2,2,4", lines[6]);
    }

    [Fact]
    public void ResultsJson_HoldsCellsBestImprovementsAndRuns()
    {
        var summary = new EvaluationSummary(SampleResults.TwoByTwo(SampleResults.Jct));
        using var stream = new MemoryStream();
        ResultsJsonWriter.Write(summary, stream);
        var json = JsonNode.Parse(stream.ToArray())!;

        Assert.Equal("toy", (string?)json["task"]);
        Assert.False((bool)json["metric"]!["higher_is_better"]!);
        Assert.Equal("s", (string?)json["metric"]!["unit"]);
        Assert.Equal(("trace", "avg_jct_s"), ((string?)json["item"], (string?)json["item_quantity"]));
        Assert.Equal(4, json["cells"]!.AsArray().Count);
        var cell = json["cells"]![0]!;
        Assert.Equal(("a", "s1"), ((string?)cell["policy"], (string?)cell["setting"]));
        Assert.Equal(2.0, (double)cell["mean"]!, 12);
        Assert.Equal(Math.Sqrt(2), (double)cell["std"]!, 12);
        Assert.Equal(6, (int)cell["items"]!["count"]!);
        Assert.Equal("a", (string?)json["best"]![0]!["policy"]);
        Assert.Equal(50.0, (double)json["improvements"]![0]!["improvement_percent"]!, 9);
        Assert.Equal(8, json["runs"]!.AsArray().Count);
        Assert.Equal(3.0, (double)json["runs"]![1]!["avg_jct_s"]!);
        Assert.Equal(3, json["runs"]![1]!["distribution"]!.AsArray().Count);
    }

    [Fact]
    public void SummaryMarkdown_HasTheComparisonTableWithTheBestInBold_AndTheImprovements()
    {
        var text = SummaryMarkdownWriter.Write(new EvaluationSummary(SampleResults.TwoByTwo(SampleResults.Qoe)), ["plots/box.png"]);

        Assert.Contains("| policy | s1 | s2 | mean over settings |", text, StringComparison.Ordinal);
        Assert.Contains("| `a` | 2.0000 ± 1.4142 | **10.00 ± 0.0000** | **6.0000** |", text, StringComparison.Ordinal);
        Assert.Contains("| `b` | **4.0000 ± 0.0000** | 6.0000 ± 1.4142 | 5.0000 |", text, StringComparison.Ordinal);
        Assert.Contains("| s1 | `b` | `a` | 4.0000 | 2.0000 | +100.0 % |", text, StringComparison.Ordinal);
        Assert.Contains("| s2 | `a` | `b` | 10.00 | 6.0000 | +66.7 % |", text, StringComparison.Ordinal);
        Assert.Contains("| s1 | `a` | 3.0000 | 0.5000 | 0.5000 |", text, StringComparison.Ordinal);
        Assert.Contains("![box](plots/box.png)", text, StringComparison.Ordinal);
        Assert.Contains("## Distribution of the mean_qoe per trace, pooled over seeds", text, StringComparison.Ordinal);
        Assert.Contains("| s2 | `b` | 6 | 6.0000 |", text, StringComparison.Ordinal);
        Assert.Contains("higher is better", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SummaryMarkdown_LowerIsBetter_SaysReduction_AndOmitsEmptySections()
    {
        var text = SummaryMarkdownWriter.Write(new EvaluationSummary(SampleResults.TwoByTwo(SampleResults.Jct, components: false)), []);

        Assert.Contains("avg_jct_s (s) ↓", text, StringComparison.Ordinal);
        Assert.Contains("the reduction", text, StringComparison.Ordinal);
        Assert.Contains("| s1 | `a` | `b` | 2.0000 | 4.0000 | +50.0 % |", text, StringComparison.Ordinal);
        Assert.DoesNotContain("## Components", text, StringComparison.Ordinal);
        Assert.DoesNotContain("## Plots", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.76416, "0.7642")]
    [InlineData(64.113, "64.11")]
    [InlineData(-2.5, "-2.5000")]
    [InlineData(1234.56, "1234.6")]
    public void TableNumbers_UseFixedDecimalsByMagnitude(double value, string expected)
    {
        Assert.Equal(expected, ReportNumber.Table(value));
    }

    [Fact]
    public void ReportWriter_SameResults_GiveTheSameBytes()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var files = ReportWriter.Write(SampleResults.TwoByTwo(SampleResults.Qoe), first.Path, plots: false);
        ReportWriter.Write(SampleResults.TwoByTwo(SampleResults.Qoe), second.Path, plots: false);

        Assert.Equal([ReportFiles.ResultsJson, ReportFiles.ResultsCsv, ReportFiles.ItemsCsv, ReportFiles.SummaryMarkdown], files);
        foreach (var file in files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, file)), File.ReadAllBytes(Path.Combine(second.Path, file)));
        }

        Assert.Empty(Directory.GetFiles(first.Path, "*.tmp", SearchOption.AllDirectories));
    }
}
