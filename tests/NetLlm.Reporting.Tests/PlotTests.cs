using NetLlm.Reporting.Plots;
using NetLlm.Reporting.Results;
using NetLlm.Reporting.Writers;
using NetLlm.Testing;

namespace NetLlm.Reporting.Tests;

public sealed class PlotTests
{
    [Fact]
    public void ReusedReportFolder_KeepsOnlyThePlotsOfTheLatestReport()
    {
        using var folder = new TempDirectory();
        ReportWriter.Write(SampleResults.TwoByTwo(SampleResults.Qoe), folder.Path);
        var mine = Path.Combine(folder.Path, "notes.txt");
        File.WriteAllText(mine, "kept");
        Assert.Equal(6, Directory.GetFiles(Path.Combine(folder.Path, "plots"), "*.png").Length);

        ReportWriter.Write(SampleResults.TwoByTwo(SampleResults.Qoe), folder.Path, plots: false);

        Assert.Empty(Directory.GetFiles(Path.Combine(folder.Path, "plots"), "*.png"));
        Assert.True(File.Exists(mine));
    }

    [Fact]
    public void Report_WithComponents_WritesEveryPlotAsAValidPngOfTheStandardSize()
    {
        using var folder = new TempDirectory();
        var files = ReportWriter.Write(SampleResults.TwoByTwo(SampleResults.Qoe), folder.Path);

        var plots = files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)).Select(f => f.Replace('\\', '/')).ToList();
        Assert.Equal(["plots/means.png", "plots/box.png", "plots/cdf_s1.png", "plots/cdf_s2.png", "plots/components_s1.png", "plots/components_s2.png"], plots);
        foreach (var plot in plots)
        {
            var path = Path.Combine(folder.Path, plot);
            Assert.Equal((PlotStyle.Width, PlotStyle.Height), Png.Size(path));
            var length = new FileInfo(path).Length;
            Assert.InRange(length, 8_000, 2_000_000);
        }

        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp*", SearchOption.AllDirectories));
        Assert.Contains("![cdf_s2](plots/cdf_s2.png)", File.ReadAllText(Path.Combine(folder.Path, ReportFiles.SummaryMarkdown)), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_WithoutComponentsOrItems_SkipsThoseFigures()
    {
        var runs = new[]
        {
            SampleResults.Run("a", "s", 1, 1, components: false) with { Distribution = [] },
            SampleResults.Run("b", "s", 1, 2, components: false) with { Distribution = [] },
        };
        var results = new EvaluationResults("toy", "Toy", SampleResults.Jct, ["a", "b"], ["s"], [1], runs);
        using var folder = new TempDirectory();

        var files = ReportWriter.Write(results, folder.Path);

        Assert.Equal(["plots/means.png"], files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)).Select(f => f.Replace('\\', '/')));
        Assert.DoesNotContain("## Distribution", File.ReadAllText(Path.Combine(folder.Path, ReportFiles.SummaryMarkdown)), StringComparison.Ordinal);
    }

    [Fact]
    public void CdfCurve_RisesFromZeroToOne_AndIsThinnedForLongLists()
    {
        var (xs, ys) = CdfPlot.Curve([1, 2, 3, 4]);
        Assert.Equal([1, 1, 2, 3, 4], xs);
        Assert.Equal([0, 0.25, 0.5, 0.75, 1], ys);

        var many = Enumerable.Range(0, 100_000).Select(i => (double)i).ToArray();
        var (mx, my) = CdfPlot.Curve(many);
        Assert.Equal(CdfPlot.MaxPoints + 1, mx.Length);
        Assert.Equal(0.0, mx[1]);
        Assert.Equal(99_999.0, mx[^1]);
        Assert.Equal(1.0, my[^1]);
        Assert.True(my.Zip(my.Skip(1)).All(p => p.First <= p.Second), "the CDF must not decrease");
    }

    [Theory]
    [InlineData("unseen-1", "unseen-1")]
    [InlineData("a b/c", "a_b_c")]
    [InlineData("", "_")]
    public void FileSafeNames_KeepOnlySafeCharacters(string name, string expected)
    {
        Assert.Equal(expected, PlotStyle.FileSafe(name));
    }
}
