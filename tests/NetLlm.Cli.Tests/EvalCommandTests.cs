using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class EvalCommandTests : IDisposable
{
    private readonly CliHarness _cli;
    private readonly TempDirectory _temp = new("netllm-eval-tests-");

    public EvalCommandTests(CliHarness cli)
    {
        _cli = cli;
    }

    private string Work => _temp.Path;

    public void Dispose() => _temp.Dispose();

    [DataFact("abr")]
    public void Abr_BbaMpcGenet_TwoSettingsTwoSeeds_RerunGivesTheSameReport_AndSeedsReachTheTask()
    {
        string[] Args(string report, string parallel) =>
        [
            "eval", "--task", "abr", "--policies", "abr.bba,abr.mpc,abr.genet", "--settings", "default,unseen-2", "--seeds", "2",
            "--trace-count", "12", "--episodes", "12", "--report", report, "--parallel", parallel,
            "--data-root", TestPaths.DataRoot, "--seed", "5", "--progress", "none",
        ];
        var first = Path.Combine(Work, "first");
        var second = Path.Combine(Work, "second");

        var run1 = _cli.Run(Args(first, "2"));
        var run2 = _cli.Run(Args(second, "1"));

        Assert.True(run1.Exit == 0, run1.Error);
        Assert.True(run2.Exit == 0, run2.Error);
        foreach (var file in new[] { "results.json", "results.csv", "items.csv", "summary.md" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
        }

        var (header, rows) = ReadCsv(Path.Combine(first, "results.csv"));
        Assert.Equal(3 * 2 * 2, rows.Count);
        Assert.Equal(["task", "policy", "setting", "seed", "mean_qoe", "items", "bitrate", "rebuffer", "smoothness"], header);
        Assert.All(rows, r => Assert.Equal("12", r["items"]));
        double Metric(string policy, string setting, int seed) => double.Parse(rows.Single(r => r["policy"] == policy && r["setting"] == setting && r["seed"] == seed.ToString(CultureInfo.InvariantCulture))["mean_qoe"], CultureInfo.InvariantCulture);

        // BBA and MPC are deterministic; GENET samples its actions from the seed.
        Assert.Equal(Metric("abr.bba", "default", 5), Metric("abr.bba", "default", 6));
        Assert.NotEqual(Metric("abr.genet", "default", 5), Metric("abr.genet", "default", 6));
        Assert.NotEqual(Metric("abr.bba", "default", 5), Metric("abr.bba", "unseen-2", 5));

        // Each cell is what `netllm test` gives for that policy, setting and seed.
        var direct = _cli.Run("test", "--task", "abr", "--policy", "abr.genet", "--setting", "unseen-2", "--seed", "6", "--trace-count", "12", "--episodes", "12",
            "--data-root", TestPaths.DataRoot, "--progress", "none", "--json");
        Assert.True(direct.Exit == 0, direct.Error);
        Assert.Equal((double)JsonNode.Parse(direct.Out)!["results"]![0]!["metric"]!, Metric("abr.genet", "unseen-2", 6));

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(first, "results.json")))!;
        Assert.True((bool)json["metric"]!["higher_is_better"]!);
        var cell = json["cells"]!.AsArray().Single(c => (string?)c!["policy"] == "abr.genet" && (string?)c["setting"] == "default")!;
        Assert.Equal((Metric("abr.genet", "default", 5) + Metric("abr.genet", "default", 6)) / 2, (double)cell["mean"]!, 12);
        Assert.Equal(24, (int)cell["items"]!["count"]!);
        foreach (var setting in new[] { "default", "unseen-2" })
        {
            var means = new[] { "abr.bba", "abr.mpc", "abr.genet" }.ToDictionary(p => p, p => (Metric(p, setting, 5) + Metric(p, setting, 6)) / 2);
            var best = (string?)json["best"]!.AsArray().Single(b => (string?)b!["setting"] == setting)!["policy"];
            Assert.Equal(means.MaxBy(kv => kv.Value).Key, best);
        }

        var plots = Directory.GetFiles(Path.Combine(first, "plots")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["box.png", "cdf_default.png", "cdf_unseen-2.png", "components_default.png", "components_unseen-2.png", "means.png"], plots);
        Assert.All(plots, p => Assert.InRange(new FileInfo(Path.Combine(first, "plots", p!)).Length, 8_000, 2_000_000));
        Assert.Contains("| `abr.genet` |", run1.Out, StringComparison.Ordinal);
        Assert.Contains("## Components of mean_qoe", File.ReadAllText(Path.Combine(first, "summary.md")), StringComparison.Ordinal);
    }

    [DataFact("cjs")]
    public void Cjs_FifoFair_FewJobs_LowerJctIsBest_AndTheReportHasNoComponentPlots()
    {
        var report = Path.Combine(Work, "cjs");

        var run = _cli.Run("eval", "--task", "cjs", "--policies", "cjs.fifo,cjs.fair", "--settings", "default,unseen-1", "--jobs", "12",
            "--report", report, "--data-root", TestPaths.DataRoot, "--seed", "3", "--progress", "none");

        Assert.True(run.Exit == 0, run.Error);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(report, "results.json")))!;
        Assert.False((bool)json["metric"]!["higher_is_better"]!);
        Assert.Equal("s", (string?)json["metric"]!["unit"]);
        var runs = json["runs"]!.AsArray();
        Assert.Equal(4, runs.Count);
        Assert.All(runs, r => Assert.Equal(12, r!["distribution"]!.AsArray().Count));
        foreach (var setting in new[] { "default", "unseen-1" })
        {
            var fifo = (double)runs.Single(r => (string?)r!["policy"] == "cjs.fifo" && (string?)r["setting"] == setting)!["avg_jct_s"]!;
            var fair = (double)runs.Single(r => (string?)r!["policy"] == "cjs.fair" && (string?)r["setting"] == setting)!["avg_jct_s"]!;
            var best = fifo <= fair ? "cjs.fifo" : "cjs.fair";
            Assert.Equal(best, (string?)json["best"]!.AsArray().Single(b => (string?)b!["setting"] == setting)!["policy"]);
            var improvement = json["improvements"]!.AsArray().Single(i => (string?)i!["setting"] == setting)!;
            Assert.Equal(100 * Math.Abs(fifo - fair) / Math.Max(fifo, fair), (double)improvement["improvement_percent"]!, 9);
        }

        Assert.False(File.Exists(Path.Combine(report, "plots", "components_default.png")));
        Assert.True(File.Exists(Path.Combine(report, "plots", "cdf_unseen-1.png")));
        Assert.Contains("avg_jct_s (s) ↓", File.ReadAllText(Path.Combine(report, "summary.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownSetting_IsAUsageError_AndNoReportIsWritten()
    {
        var report = Path.Combine(Work, "bad");

        var run = _cli.Run("eval", "--task", "abr", "--policies", "abr.bba", "--settings", "default,nowhere", "--report", report,
            "--data-root", TestPaths.DataRootFor("abr"), "--progress", "none");

        Assert.Equal(2, run.Exit);
        Assert.Contains("no setting 'nowhere'", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(report));
    }

    [Fact]
    public void FailingRun_NamesThePolicySettingAndSeed()
    {
        var report = Path.Combine(Work, "failing");

        var run = _cli.Run("eval", "--task", "abr", "--policies", "abr.bba,abr.nosuchpolicy", "--report", report,
            "--data-root", TestPaths.DataRootFor("abr"), "--seed", "4", "--progress", "none");

        Assert.NotEqual(0, run.Exit);
        Assert.Contains("abr abr.nosuchpolicy on default (seed 4):", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(report));
    }

    [Fact]
    public void DuplicatePoliciesAndBadSeedCounts_AreUsageErrors()
    {
        var dup = _cli.Run("eval", "--task", "abr", "--policies", "abr.bba,abr.bba", "--report", Path.Combine(Work, "d"), "--data-root", TestPaths.DataRootFor("abr"), "--progress", "none");
        var seeds = _cli.Run("eval", "--task", "abr", "--policies", "abr.bba", "--seeds", "0", "--report", Path.Combine(Work, "s"), "--data-root", TestPaths.DataRootFor("abr"), "--progress", "none");

        Assert.Equal(2, dup.Exit);
        Assert.Contains("'abr.bba' is listed twice", dup.Error, StringComparison.Ordinal);
        Assert.Equal(2, seeds.Exit);
        Assert.Contains("--seeds: 0 must be between 1 and", seeds.Error, StringComparison.Ordinal);
    }

    private static (string[] Header, List<Dictionary<string, string>> Rows) ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return (header, [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))]);
    }
}
