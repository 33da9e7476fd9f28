using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using NetLlm.Testing;
using Xunit.Abstractions;

namespace NetLlm.Testbeds.DashPlayer.Tests;

/// <summary>
/// End to end through the CLI of this checkout: a tiny adapted ABR run (llama-tiny-2x256, 3 steps on a BBA pool of
/// generated traces) is served by the <c>netllm serve</c> that <c>netllm realtest</c> starts, and dash.js in headless
/// Chromium plays the whole 48-segment video over an FCC test trace, asking it for every segment; the simulator
/// column asks the same server.
/// </summary>
[Collection(RealPlayerCollection.Name)]
public class AdaptedRunRealtestTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(12);

    private static string Netllm
    {
        get
        {
            var configuration = typeof(AdaptedRunRealtestTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var path = Path.Combine(TestPaths.RepoRoot!, "core", "NetLlm.Cli", "bin", configuration, "net10.0", "netllm.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"netllm was not built at {path} (this test project builds it)", path);
        }
    }

    [PlayerFact]
    public void AnAdaptedRun_ServedByNetllmServe_PlaysAFccTraceToTheEnd()
    {
        var video = PlayerEnvironment.ShortVideo(48);
        using var dir = new TempDirectory();
        var dataRoot = TestPaths.DataRootFor("abr");
        var traces = Path.Combine(dir.Path, "traces");
        Directory.CreateDirectory(traces);
        File.Copy(Directory.GetFiles(Path.Combine(dataRoot, "abr", "traces", "test", "fcc-test"), "004_*").Single(), Path.Combine(traces, "004_fcc"));

        string[] common = ["--progress", "none", "--threads", "1", "--seed", "7", "--data-root", dataRoot];
        var pool = Path.Combine(dir.Path, "pool.safetensors");
        Run(["collect", "--task", "abr", "--policy", "abr.bba", "--out", pool, "--synthetic", "--synthetic-count", "4", .. common]);
        var runDir = Path.Combine(dir.Path, "tiny-run");
        Run(["adapt", "--task", "abr", "--pool", pool, "--out", runDir, "--backbone", "llama-tiny-2x256", "--batch-size", "4", "--max-steps", "3", "--synthetic", "--synthetic-count", "4", .. common]);

        var report = Path.Combine(dir.Path, "report");
        var stdout = Run(["realtest", "--task", "abr", "--policy", runDir, "--traces", traces, "--video", video, "--out", report, "--argmax", .. common]);
        Assert.Contains($"policy {runDir} served by netllm serve at http://127.0.0.1:", stdout, StringComparison.Ordinal);

        var trace = Assert.Single(JsonNode.Parse(File.ReadAllText(Path.Combine(report, "results.json")))!["traces"]!.AsArray())!;
        Assert.Equal(runDir, (string?)trace["policy"]);
        var chunks = trace["chunks"]!.AsArray();
        Assert.Equal(48, chunks.Count);
        Assert.Equal(Enumerable.Range(0, 48), chunks.Select(c => (int)c!["index"]!));
        Assert.Equal(1, (int)chunks[0]!["quality"]!);
        Assert.Equal(48, (int)trace["real"]!["chunks"]!);
        Assert.True(double.IsFinite((double)trace["real"]!["qoe"]!));

        // The simulator played the same trace through the same server: 48 chunks and a finite QoE.
        Assert.Equal(48, (int)trace["sim"]!["chunks"]!);
        Assert.True(double.IsFinite((double)trace["sim"]!["qoe"]!));

        // Every segment after the first was asked of the adapted run, and the player fetched the quality it answered.
        Assert.Equal("traces_004_fcc", (string?)trace["trace"]);
        var log = JsonNode.Parse(File.ReadAllText(Path.Combine(report, "chunks", "traces_004_fcc.json")))!;
        var decisions = log["decisions"]!.AsArray();
        Assert.Equal(47, decisions.Count);
        foreach (var decision in decisions)
        {
            var index = (int)decision!["chunk"]!;
            Assert.Equal((int)decision["quality"]!, (int)chunks[index]!["quality"]!);
            Assert.InRange((double)decision["latency_ms"]!, 0, 5000);
        }

        Assert.True((double)trace["server_decision_p50_ms"]! > 0, "the adapted model took no time to decide");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"real QoE {(double)trace["real"]!["qoe"]!:F4}, sim QoE {(double)trace["sim"]!["qoe"]!:F4}, decision p50 {(double)trace["decision_p50_ms"]!:F2} ms, p99 {(double)trace["decision_p99_ms"]!:F2} ms, wall {(double)trace["wall_s"]!:F0} s"));
    }

    private string Run(string[] args)
    {
        var (exit, stdout, stderr) = NetllmExecutable.Run(Netllm, Path.GetTempPath(), Limit, args);
        output.WriteLine($"netllm {args[0]}: exit {exit}\n{stdout}{stderr}");
        Assert.True(exit == 0, $"netllm {string.Join(' ', args)} exited {exit?.ToString(CultureInfo.InvariantCulture) ?? "(killed at the time limit)"}: {stderr}");
        return stdout;
    }
}
