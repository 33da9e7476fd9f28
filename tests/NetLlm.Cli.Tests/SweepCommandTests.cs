using System.Diagnostics;
using System.Text.Json.Nodes;
using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

/// <summary>
/// <c>netllm sweep</c>: a grid of adapt + test runs on generated ABR data (no data root), its durable state, reruns
/// that skip finished items, a failing item that is reported while the sweep goes on, and bad sweep files.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class SweepCommandTests : IDisposable
{
    private static readonly string[] Quiet = ["--progress", "none", "--threads", "1"];
    private readonly CliHarness _cli;
    private readonly TempDirectory _dir = new("netllm-sweep-tests-");

    public SweepCommandTests(CliHarness cli)
    {
        _cli = cli;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Sweep_AdaptsAndTestsEveryItem_RerunSkipsFinishedItems()
    {
        var pool = Pool();
        var file = Write("sweep.json", $$"""
            {
              "task": "abr",
              "adapt": { "pool": "{{pool}}", "backbone": "llama-tiny-2x256", "batch-size": 4, "max-steps": 3, "synthetic": true, "synthetic-count": 4 },
              "axes": { "rank": [4, 8] },
              "test": { "synthetic": true, "synthetic-count": 4 }
            }
            """);
        var output = Path.Combine(_dir.Path, "out");

        var first = _cli.Run(["sweep", "--file", file, "--out", output, .. Quiet]);

        Assert.True(first.Exit == 0, first.Error);
        var state = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "sweep-state.json")))!;
        Assert.Equal(["done", "done"], state["items"]!.AsArray().Select(i => i!["status"]!.GetValue<string>()));
        string[] ids = ["000_rank-4", "001_rank-8"];
        foreach (var id in ids)
        {
            var run = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "runs", id, "run.json")))!;
            Assert.Equal("stopped", run["status"]!.GetValue<string>());
            Assert.Equal(3, run["result"]!["steps"]!.GetValue<long>());
            Assert.Equal(id == ids[0] ? 4 : 8, run["adaptation"]!["rank"]!.GetValue<int>());
            Assert.True(File.Exists(Path.Combine(output, "results", id + ".adapt.json")));
        }

        // Each item's metric is what `netllm test` of its run directory writes.
        var direct = _cli.Run(["test", "--task", "abr", "--policy", Path.Combine(output, "runs", ids[1]), "--synthetic", "--synthetic-count", "4", "--json", .. Quiet]);
        Assert.True(direct.Exit == 0, direct.Error);
        var csv = File.ReadAllLines(Path.Combine(output, "results.csv"));
        Assert.Equal("item,rank,status,attempts,failures,steps,last_loss,metric,adapt_seconds,test_seconds,error", csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.Equal((double)JsonNode.Parse(direct.Out)!["results"]![0]!["metric"]!, double.Parse(csv[2].Split(',')[7], System.Globalization.CultureInfo.InvariantCulture));

        var runJson = Path.Combine(output, "runs", ids[0], "run.json");
        var written = File.GetLastWriteTimeUtc(runJson);
        var second = _cli.Run(["sweep", "--file", file, "--out", output, .. Quiet]);

        Assert.True(second.Exit == 0, second.Error);
        Assert.DoesNotContain("attempt", second.Error, StringComparison.Ordinal);
        Assert.Equal(written, File.GetLastWriteTimeUtc(runJson));
        Assert.Contains("2 of 2 done, 0 failed", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ClusterSweep_InProcess_GivesTheLocalSweepsNumbers_AndARerunSubmitsNothing()
    {
        var pool = Pool();
        var file = Write("sweep.json", $$"""
            {
              "task": "abr",
              "adapt": { "pool": "{{pool}}", "backbone": "llama-tiny-2x256", "batch-size": 4, "max-steps": 3, "synthetic": true, "synthetic-count": 4 },
              "axes": { "seed": [1, 2] },
              "test": { "synthetic": true, "synthetic-count": 4 }
            }
            """);
        var config = Write("cluster.json", """{ "clustering": "inprocess", "workers": 1 }""");
        var local = Path.Combine(_dir.Path, "local");
        var cluster = Path.Combine(_dir.Path, "cluster");

        var localRun = _cli.Run(["sweep", "--file", file, "--out", local, .. Quiet]);
        var clusterRun = _cli.Run(["sweep", "--file", file, "--out", cluster, "--cluster", config, .. Quiet]);

        Assert.True(localRun.Exit == 0, localRun.Error);
        Assert.True(clusterRun.Exit == 0, clusterRun.Error);
        // item, seed, status, attempts, failures, steps, last_loss, metric: equal but for the seconds.
        static IEnumerable<string> Numbers(string folder) => File.ReadAllLines(Path.Combine(folder, "results.csv")).Select(l => string.Join(',', l.Split(',')[..8]));
        Assert.Equal(Numbers(local), Numbers(cluster));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(cluster, "cluster-adapt.csv")).Length);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(cluster, "cluster-test.csv")).Length);
        Assert.True(File.Exists(Path.Combine(cluster, "results", "001_seed-2.test.json")));

        var again = _cli.Run(["sweep", "--file", file, "--out", cluster, "--cluster", config, .. Quiet]);
        Assert.True(again.Exit == 0, again.Error);
        Assert.DoesNotContain("submitted", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_ItemFailingThreeTimes_IsReportedWithItsError_AndTheSweepGoesOn()
    {
        var pool = Pool();
        var missing = Path.Combine(_dir.Path, "missing.safetensors");
        var file = Write("sweep.json", $$"""
            {
              "task": "abr",
              "adapt": { "backbone": "llama-tiny-2x256", "batch-size": 4, "max-steps": 2, "synthetic": true, "synthetic-count": 4 },
              "axes": { "pool": ["{{missing}}", "{{pool}}"] }
            }
            """);
        var output = Path.Combine(_dir.Path, "out");

        var result = _cli.Run(["sweep", "--file", file, "--out", output, .. Quiet]);

        Assert.Equal(1, result.Exit);
        var items = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "sweep-state.json")))!["items"]!.AsArray();
        Assert.Equal("failed", items[0]!["status"]!.GetValue<string>());
        Assert.Equal(3, items[0]!["failures"]!.GetValue<int>());
        Assert.Contains("missing.safetensors", items[0]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("done", items[1]!["status"]!.GetValue<string>());
        Assert.Contains("failed after 3 failure(s)", result.Error, StringComparison.Ordinal);
        Assert.Contains("1 of 2 done, 1 failed", File.ReadAllText(Path.Combine(output, "summary.md")), StringComparison.Ordinal);

        // A rerun does not try a failed item again unless asked.
        var again = _cli.Run(["sweep", "--file", file, "--out", output, .. Quiet]);
        Assert.Equal(1, again.Exit);
        Assert.DoesNotContain("attempt", again.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "task": "abr", "adapt": { "no-such-option": 1 }, "axes": { "rank": [4] } }""", "adapt.no-such-option", "not an option of `netllm adapt --task abr`")]
    [InlineData("""{ "task": "abr", "axes": { "rank": 4 } }""", "axes.rank", "non-empty list")]
    [InlineData("""{ "task": "abr", "axes": { "rank": [4, 4] } }""", "axes.rank", "listed twice")]
    [InlineData("""{ "task": "abr", "axes": { "out": ["a"] } }""", "axes.out", "the sweep sets this option itself")]
    [InlineData("""{ "task": "nope", "axes": { "rank": [4] } }""", "task", "no task 'nope'")]
    [InlineData("""{ "task": "abr", "axes": { "rank": ["four"] } }""", "axes (rank=four)", "four")]
    [InlineData("""{ "task": "abr", "axis": { "rank": [4] } }""", "axis", "unknown key")]
    [InlineData("""{ "task": "abr", """, null, "not valid JSON")]
    public void Sweep_BadFile_NamesTheFileAndKey_Exit2(string text, string? key, string message)
    {
        var file = Write("bad.json", text);

        var result = _cli.Run(["sweep", "--file", file, "--out", Path.Combine(_dir.Path, "out"), .. Quiet]);

        Assert.Equal(2, result.Exit);
        Assert.Contains($"sweep file {file}: " + (key is null ? "" : key + ": "), result.Error, StringComparison.Ordinal);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "out")));
    }

    private string Pool()
    {
        var pool = Path.Combine(_dir.Path, "pool.safetensors");
        var collect = _cli.Run(["collect", "--task", "abr", "--policy", "abr.bba", "--out", pool, "--synthetic", "--synthetic-count", "4", .. Quiet]);
        Assert.True(collect.Exit == 0, collect.Error);
        return pool;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, text);
        return path;
    }
}
