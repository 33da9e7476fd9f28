using System.Diagnostics;
using System.Text.Json.Nodes;
using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM during <c>netllm adapt</c>, in a real process: exit 130 after a checkpoint, run.json
/// says <c>interrupted</c>, and <c>--resume</c> continues from the checkpoint. Runs on generated ABR data (no data root).
/// </summary>
public sealed class SignalTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string[] Data = ["--synthetic", "--synthetic-count", "4", "--progress", "none", "--threads", "1"];

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task SignalDuringAdapt_CheckpointsExits130AndResumes(string signal)
    {
        var pool = Path.Combine(_dir.Path, "pool.safetensors");
        Assert.Equal(0, NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(3), ["collect", "--task", "abr", "--policy", "abr.bba", "--out", pool, .. Data]).Exit);
        var run = Path.Combine(_dir.Path, "run-" + signal);
        string[] adapt = ["adapt", "--task", "abr", "--pool", pool, "--out", run, "--backbone", "llama-tiny-2x256", "--batch-size", "4", "--epochs", "100000", .. Data];

        using (var process = Process.Start(NetllmProcess.StartInfo(_dir.Path, adapt))!)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            var metrics = Path.Combine(run, "metrics.jsonl");
            var waited = Stopwatch.StartNew();
            while (!File.Exists(metrics) && !process.HasExited && waited.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(100);
            }

            Assert.True(File.Exists(metrics), "adapt logged no optimiser step within 2 minutes: " + (process.HasExited ? await error : "still starting"));
            using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "adapt did not stop within a minute of SIG" + signal);
            Assert.Equal(130, process.ExitCode);
            Assert.Contains("continue with the same command and --resume", await error, StringComparison.Ordinal);
            await output;
        }

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!;
        Assert.Equal("interrupted", manifest["status"]!.GetValue<string>());
        var state = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "checkpoints", "last", "trainer_state.json")))!;
        var step = state["step"]!.GetValue<long>();
        Assert.True(step >= 1);

        var resumed = NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(3), [.. adapt, "--resume", "--max-steps", (step + 2).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(0, resumed.Exit);
        var after = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!;
        Assert.Equal("stopped", after["status"]!.GetValue<string>());
        Assert.Equal(step + 2, after["result"]!["steps"]!.GetValue<long>());
    }
}
