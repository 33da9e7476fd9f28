using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

/// <summary>
/// <c>netllm eval --cluster</c> with an in-process cluster (an Orleans silo inside the command, the development mode):
/// the report equals the local evaluation's byte for byte, a failing item is retried and reported while the grid goes
/// on, and a bad cluster configuration names its file and key. ABR baselines on the fixture data (no data root).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ClusterEvalTests : IDisposable
{
    private readonly CliHarness _cli;
    private readonly TempDirectory _dir = new("netllm-cluster-eval-");

    public ClusterEvalTests(CliHarness cli)
    {
        _cli = cli;
    }

    public void Dispose() => _dir.Dispose();

    private static string[] Eval(string policies, string report, string seeds, params string[] more) =>
    [
        "eval", "--task", "abr", "--policies", policies, "--settings", "default,synthetic", "--seeds", seeds, "--seed", "4", "--trace-count", "4",
        "--report", report, "--no-plots", "--progress", "none", "--data-root", TestPaths.FixtureData, .. more,
    ];

    [Fact]
    public void InProcessCluster_WritesTheLocalReport_NumberForNumber()
    {
        var config = Write("cluster.json", """{ "clustering": "inprocess", "workers": 2 }""");
        var local = Path.Combine(_dir.Path, "local");
        var cluster = Path.Combine(_dir.Path, "cluster");

        var localRun = _cli.Run(Eval("abr.bba,abr.genet,abr.mpc", local, "3", "--parallel", "1"));
        var clusterRun = _cli.Run(Eval("abr.bba,abr.genet,abr.mpc", cluster, "3", "--cluster", config));

        Assert.True(localRun.Exit == 0, localRun.Error);
        Assert.True(clusterRun.Exit == 0, clusterRun.Error);
        foreach (var file in new[] { "results.json", "results.csv", "items.csv", "summary.md" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(local, file)), File.ReadAllText(Path.Combine(cluster, file)));
        }

        // GENET samples from its seed: the seeds reached the items (otherwise its three runs would be equal).
        Assert.Equal(3, File.ReadAllLines(Path.Combine(cluster, "results.csv")).Where(l => l.Contains("abr.genet,default", StringComparison.Ordinal)).Select(l => l.Split(',')[4]).Distinct().Count());
        var rows = File.ReadAllLines(Path.Combine(cluster, "cluster.csv"));
        Assert.Equal("item,status,attempts,worker,seconds,last_error", rows[0]);
        Assert.Equal(3 * 2 * 3, rows.Length - 1);
        Assert.All(rows.Skip(1), r => Assert.Contains(",done,1,", r, StringComparison.Ordinal));
        Assert.Contains("cluster: 18/18 done", clusterRun.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FailingItem_IsTriedThreeTimes_ReportedWithItsError_AndTheOthersFinish()
    {
        var config = Write("cluster.json", """{ "clustering": "inprocess", "workers": 1 }""");
        var report = Path.Combine(_dir.Path, "report");
        var missing = Path.Combine(_dir.Path, "no-such-run");

        var run = _cli.Run(Eval("abr.bba," + missing, report, "1", "--cluster", config));

        Assert.Equal(1, run.Exit);
        Assert.Contains("work item(s) failed after 3 attempt(s)", run.Error, StringComparison.Ordinal);
        Assert.Contains("unknown policy '" + missing + "'", run.Error, StringComparison.Ordinal);
        var rows = File.ReadAllLines(Path.Combine(report, "cluster.csv"));
        Assert.Equal(2, rows.Count(r => r.Contains(",done,1,", StringComparison.Ordinal)));
        Assert.Equal(2, rows.Count(r => r.Contains("no-such-run", StringComparison.Ordinal) && r.Contains(",failed,3,", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("""{ "clustering": "mesh" }""", "clustering", "'mesh' is not one of inprocess, localhost, redis")]
    [InlineData("""{ "workers": 0 }""", "workers", "a number from 1 to 1024")]
    [InlineData("""{ "lease": 5 }""", "lease", "unknown key")]
    public void BadClusterConfiguration_NamesTheFileAndKey_Exit2(string text, string key, string message)
    {
        var config = Write("bad.json", text);

        var run = _cli.Run(Eval("abr.bba", Path.Combine(_dir.Path, "r"), "1", "--cluster", config));

        Assert.Equal(2, run.Exit);
        Assert.Contains($"cluster configuration {config}: {key}: {message}", run.Error, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, text);
        return path;
    }
}
