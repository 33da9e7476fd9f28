using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

/// <summary>
/// A <c>netllm sweep</c> process killed with SIGKILL in the middle of an item's <c>adapt</c>: rerunning the command
/// resumes that run from its checkpoint and ends with the same numbers as an uninterrupted sweep (generated ABR data).
/// </summary>
public sealed class SweepResumeTests : IDisposable
{
    private static readonly string[] Quiet = ["--progress", "none", "--threads", "1"];
    private readonly TempDirectory _dir = new("netllm-sweep-resume-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task KilledSweep_ResumesTheInterruptedRunFromItsCheckpoint_AndMatchesAnUninterruptedSweep()
    {
        var pool = Path.Combine(_dir.Path, "pool.safetensors");
        Assert.Equal(0, NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(2), ["collect", "--task", "abr", "--policy", "abr.bba", "--out", pool, "--synthetic", "--synthetic-count", "4", .. Quiet]).Exit);
        var file = Path.Combine(_dir.Path, "sweep.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "task": "abr",
              "adapt": { "pool": "{{pool}}", "backbone": "llama-tiny-2x256", "batch-size": 4, "epochs": 1, "checkpoint-every": 2, "synthetic": true, "synthetic-count": 4 },
              "axes": { "seed": [3] },
              "test": { "synthetic": true, "synthetic-count": 4 }
            }
            """);
        var killed = Path.Combine(_dir.Path, "killed");
        var straight = Path.Combine(_dir.Path, "straight");
        string[] Sweep(string output) => ["sweep", "--file", file, "--out", output, .. Quiet];

        using (var process = Process.Start(NetllmProcess.StartInfo(_dir.Path, Sweep(killed)))!)
        {
            _ = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            var checkpoint = Path.Combine(killed, "runs", "000_seed-3", "checkpoints", "last", "trainer_state.json");
            var waited = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !process.HasExited && waited.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(50);
            }

            Assert.False(process.HasExited, "the sweep ended before its first checkpoint; make the run longer");
            process.Kill();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        }

        var state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(killed, "sweep-state.json")))!;
        Assert.Equal("adapting", state["items"]![0]!["status"]!.GetValue<string>());
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(killed, "runs", "000_seed-3", "run.json")))!;
        Assert.Equal("running", manifest["status"]!.GetValue<string>());

        var resumed = NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(2), Sweep(killed));
        var reference = NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(2), Sweep(straight));

        Assert.True(resumed.Exit == 0, resumed.Error);
        Assert.True(reference.Exit == 0, reference.Error);
        Assert.Contains("adapt --resume", resumed.Error, StringComparison.Ordinal);
        Assert.Equal(Numbers(straight), Numbers(killed));
    }

    /// <summary>Steps, last loss and test metric of the sweep's only item (from results.csv and run.json).</summary>
    private static (long Steps, double Loss, string Metric) Numbers(string output)
    {
        var run = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "runs", "000_seed-3", "run.json")))!["result"]!;
        var row = File.ReadAllLines(Path.Combine(output, "results.csv"))[1].Split(',');
        Assert.Equal("done", row[2]);
        return (run["steps"]!.GetValue<long>(), run["last_loss"]!.GetValue<double>(), row[7]);
    }
}
