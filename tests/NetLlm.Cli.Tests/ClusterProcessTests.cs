using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

/// <summary>
/// A real cluster on this machine: redis-server (membership and grid state), three <c>netllm cluster silo</c>
/// processes and <c>netllm eval --cluster</c>; one silo is killed with SIGKILL while it runs an item. The item is run
/// again elsewhere and the report equals the local evaluation's byte for byte (none lost, none reported twice).
/// </summary>
public sealed partial class ClusterProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new("netllm-cluster-processes-");
    private readonly List<Process> _silos = [];
    private readonly ConcurrentQueue<string> _siloErrors = new();

    public void Dispose()
    {
        foreach (var silo in _silos.Where(s => !s.HasExited))
        {
            silo.Kill();
            silo.WaitForExit(10_000);
        }

        _silos.ForEach(s => s.Dispose());
        _dir.Dispose();
    }

    [RedisFact]
    public async Task ThreeSilos_OneKilledMidGrid_ItsItemRunsElsewhere_AndTheReportEqualsTheLocalOne()
    {
        using var redis = RedisServer.Start();
        var config = await Config(redis);
        var ready = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartSilo(config)));
        Assert.All(ready, Assert.True);

        string[] Eval(string report) =>
        [
            "eval", "--task", "abr", "--policies", "abr.bba,abr.genet", "--settings", "default,synthetic", "--seeds", "3", "--seed", "4",
            "--episodes", "300", "--report", report, "--no-plots", "--progress", "none", "--data-root", TestPaths.FixtureData,
        ];
        var clusterReport = Path.Combine(_dir.Path, "cluster");
        var errors = new ConcurrentQueue<string>();
        int? victim = null;
        using (var eval = Process.Start(NetllmProcess.StartInfo(_dir.Path, [.. Eval(clusterReport), "--cluster", config]))!)
        {
            eval.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                errors.Enqueue(e.Data);
                // Kill the silo that started a GENET run (about a second long), while it runs it.
                var match = RunningOn().Match(e.Data);
                if (victim is null && match.Success && e.Data.Contains("genet", StringComparison.Ordinal))
                {
                    var pid = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                    var silo = _silos.FirstOrDefault(s => s.Id == pid);
                    if (silo is not null)
                    {
                        victim = pid;
                        silo.Kill();
                    }
                }
            };
            eval.OutputDataReceived += (_, _) => { };
            eval.BeginErrorReadLine();
            eval.BeginOutputReadLine();
            Assert.True(eval.WaitForExit(TimeSpan.FromMinutes(3)), "eval --cluster did not finish within 3 minutes: " + string.Join("\n", errors));
            eval.WaitForExit();
            Assert.True(eval.ExitCode == 0, $"exit {eval.ExitCode}: " + string.Join("\n", errors));
        }

        Assert.True(victim is not null, "no silo was seen running a GENET item: " + string.Join("\n", errors));
        var localReport = Path.Combine(_dir.Path, "local");
        var local = NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(2), Eval(localReport));
        Assert.True(local.Exit == 0, local.Error);
        foreach (var file in new[] { "results.json", "results.csv", "items.csv", "summary.md" })
        {
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(localReport, file)), await File.ReadAllTextAsync(Path.Combine(clusterReport, file)));
        }

        var rows = (await File.ReadAllLinesAsync(Path.Combine(clusterReport, "cluster.csv"))).Skip(1).ToList();
        Assert.Equal(2 * 2 * 3, rows.Count);
        Assert.All(rows, r => Assert.Contains(",done,", r, StringComparison.Ordinal));
        var retried = Assert.Single(rows, r => r.Contains($":{victim}/0 ran out", StringComparison.Ordinal));
        Assert.Contains(",done,2,", retried, StringComparison.Ordinal);
        Assert.DoesNotContain($":{victim}/", retried.Split(',')[3], StringComparison.Ordinal);
    }

    [RedisFact]
    public async Task SweepOfFourAdaptRuns_SiloKilledAfterACheckpoint_TheRunContinuesElsewhere_AndTheNumbersEqualTheLocalSweep()
    {
        using var redis = RedisServer.Start();
        var config = await Config(redis);
        var silos = Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartSilo(config)));
        var pool = Path.Combine(_dir.Path, "pool.safetensors");
        string[] data = ["--synthetic", "--synthetic-count", "4", "--progress", "none", "--threads", "1"];
        Assert.Equal(0, NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(2), ["collect", "--task", "abr", "--policy", "abr.bba", "--out", pool, .. data]).Exit);
        Assert.All(await silos, Assert.True);
        var file = Path.Combine(_dir.Path, "sweep.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "task": "abr",
              "adapt": { "pool": "{{pool}}", "backbone": "llama-tiny-2x256", "batch-size": 4, "max-steps": 12, "checkpoint-every": 2, "synthetic": true, "synthetic-count": 4 },
              "axes": { "seed": [1, 2, 3, 4] },
              "test": { "synthetic": true, "synthetic-count": 4 }
            }
            """);
        var clusterOut = Path.Combine(_dir.Path, "cluster");
        var errors = new ConcurrentQueue<string>();
        var running = new ConcurrentDictionary<string, int>();
        int? victim = null;
        string? victimItem = null;
        using (var sweep = Process.Start(NetllmProcess.StartInfo(_dir.Path, ["sweep", "--file", file, "--out", clusterOut, "--cluster", config, "--progress", "none", "--threads", "1"]))!)
        {
            sweep.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                errors.Enqueue(e.Data);
                var match = AdaptRunningOn().Match(e.Data);
                if (match.Success)
                {
                    running[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
                }
            };
            sweep.OutputDataReceived += (_, _) => { };
            sweep.BeginErrorReadLine();
            sweep.BeginOutputReadLine();

            // Kill the silo of a run that has written a checkpoint and is still training.
            var waited = Stopwatch.StartNew();
            while (victim is null && !sweep.HasExited && waited.Elapsed < TimeSpan.FromMinutes(2))
            {
                foreach (var (item, pid) in running)
                {
                    var run = Path.Combine(clusterOut, "runs", item);
                    if (File.Exists(Path.Combine(run, "checkpoints", "last", "trainer_state.json")) && File.ReadAllText(Path.Combine(run, "run.json")).Contains("\"running\"", StringComparison.Ordinal)
                        && _silos.FirstOrDefault(s => s.Id == pid) is { } silo)
                    {
                        (victim, victimItem) = (pid, item);
                        silo.Kill();
                        break;
                    }
                }

                await Task.Delay(50);
            }

            Assert.True(victim is not null, "no silo was killed while a run trained after a checkpoint: " + string.Join("\n", errors));
            Assert.True(sweep.WaitForExit(TimeSpan.FromMinutes(3)), "sweep --cluster did not finish within 3 minutes: " + string.Join("\n", errors));
            sweep.WaitForExit();
            Assert.True(sweep.ExitCode == 0, $"exit {sweep.ExitCode}: " + string.Join("\n", errors));
        }

        var localOut = Path.Combine(_dir.Path, "local");
        var local = NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(3), ["sweep", "--file", file, "--out", localOut, "--progress", "none", "--threads", "1"]);
        Assert.True(local.Exit == 0, local.Error);

        // item, seed, status, steps, last loss, test metric: the same; attempts and seconds differ.
        static IEnumerable<string> Numbers(string folder) => File.ReadAllLines(Path.Combine(folder, "results.csv")).Select(l => l.Split(',')).Select(c => string.Join(',', c[0], c[1], c[2], c[5], c[6], c[7]));
        Assert.Equal(Numbers(localOut), Numbers(clusterOut));
        var retried = Assert.Single(File.ReadAllLines(Path.Combine(clusterOut, "cluster-adapt.csv")), r => r.StartsWith(victimItem + ".adapt,", StringComparison.Ordinal));
        Assert.Contains(",done,2,", retried, StringComparison.Ordinal);
        Assert.Contains($":{victim}/0 ran out", retried, StringComparison.Ordinal);
        Assert.Contains(_siloErrors, l => l.Contains($"{victimItem}.adapt attempt 2: continuing", StringComparison.Ordinal));
    }

    private async Task<string> Config(RedisServer redis)
    {
        var config = Path.Combine(_dir.Path, "cluster.json");
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
        await File.WriteAllTextAsync(config, $$"""
            { "clustering": "redis", "redis": "{{redis.Connection}}", "clusterId": "{{clusterId}}", "serviceId": "{{clusterId}}",
              "leaseSeconds": 4, "probeTimeoutSeconds": 1, "workers": 1, "artifacts": "{{_dir.Path}}" }
            """);
        return config;
    }

    /// <summary>Starts a silo on free ports; true once it printed its ready line (within a minute).</summary>
    private async Task<bool> StartSilo(string config)
    {
        var silo = Process.Start(NetllmProcess.StartInfo(_dir.Path, "cluster", "silo", "--cluster", config,
            "--silo-port", RedisServer.FreePort().ToString(CultureInfo.InvariantCulture), "--gateway-port", RedisServer.FreePort().ToString(CultureInfo.InvariantCulture)))!;
        lock (_silos)
        {
            _silos.Add(silo);
        }

        var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        silo.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("silo ready", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult(true);
            }
        };
        silo.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _siloErrors.Enqueue(e.Data);
            }
        };
        silo.Exited += (_, _) => ready.TrySetResult(false);
        silo.EnableRaisingEvents = true;
        silo.BeginOutputReadLine();
        silo.BeginErrorReadLine();
        return await ready.Task.WaitAsync(TimeSpan.FromMinutes(1));
    }

    [GeneratedRegex(@"cluster: (\S+)\.adapt: attempt 1 running on [^:]+:(\d+)/")]
    private static partial Regex AdaptRunningOn();

    [GeneratedRegex(@"attempt 1 running on [^:]+:(\d+)/")]
    private static partial Regex RunningOn();
}
