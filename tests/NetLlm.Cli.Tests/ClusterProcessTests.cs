using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NetLlm.Testing;
using Xunit.Abstractions;

namespace NetLlm.Cli.Tests;

/// <summary>
/// A real cluster on this machine: redis-server (membership and grid state), <c>netllm cluster silo</c> processes and
/// the submitting commands (<c>eval --cluster</c>, <c>sweep --cluster</c>); silos are killed with SIGKILL while they
/// run an item, or join while a grid runs. Killed items run again elsewhere and the reports equal the local runs'
/// (none lost, none reported twice).
/// </summary>
public sealed partial class ClusterProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new("netllm-cluster-processes-");
    private readonly ITestOutputHelper _output;
    private readonly List<Process> _silos = [];
    private readonly ConcurrentQueue<string> _siloErrors = new();

    public ClusterProcessTests(ITestOutputHelper output)
    {
        _output = output;
    }

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

    [RedisFact("cjs")]
    public async Task ThreeSilos_AbrAndCjsGridsAndACollection_OneKilledMidGrid_TheResultsEqualTheLocalOnes()
    {
        using var redis = RedisServer.Start();
        var config = await Config(redis);
        var silos = Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartSilo(config)));

        // One adapted ABR run (llama-tiny, 3 steps on a BBA pool of the fixture traces) evaluated beside the baselines.
        var pool = Path.Combine(_dir.Path, "pool.safetensors");
        var adapted = Path.Combine(_dir.Path, "adapted");
        string[] fixture = ["--data-root", TestPaths.FixtureData, "--progress", "none", "--threads", "1"];
        Assert.Equal(0, NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(2), ["collect", "--task", "abr", "--policy", "abr.bba", "--out", pool, .. fixture]).Exit);
        var adapt = NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(2), ["adapt", "--task", "abr", "--pool", pool, "--out", adapted, "--backbone", "llama-tiny-2x256", "--batch-size", "4", "--max-steps", "3", .. fixture]);
        Assert.True(adapt.Exit == 0, adapt.Error);
        Assert.All(await silos, Assert.True);

        // 2 settings x 3 seeds of each task: ABR baselines and the adapted run on the fixture traces, the CJS
        // baselines on small workloads (6 jobs) of the data root's TPC-H profiles.
        string[] Abr(string report) =>
        [
            "eval", "--task", "abr", "--policies", $"abr.bba,abr.genet,{adapted}", "--settings", "default,synthetic", "--seeds", "3", "--seed", "4",
            "--episodes", "24", "--report", report, "--no-plots", "--progress", "none", "--data-root", TestPaths.FixtureData,
        ];
        string[] Cjs(string report) =>
        [
            "eval", "--task", "cjs", "--policies", "cjs.fifo,cjs.fair,cjs.decima", "--settings", "default,unseen-1", "--seeds", "3",
            "--jobs", "6", "--report", report, "--no-plots", "--progress", "none", "--data-root", TestPaths.DataRoot,
        ];
        var clusterAbr = Path.Combine(_dir.Path, "cluster-abr");
        var clusterCjs = Path.Combine(_dir.Path, "cluster-cjs");
        int? victim = null;
        var clock = Stopwatch.StartNew();
        var abrGrid = Submit([.. Abr(clusterAbr), "--cluster", config], line =>
        {
            // Kill the silo that started an item of the adapted run (about two seconds long), while it runs it.
            var match = RunningOn().Match(line);
            if (victim is null && match.Success && line.Contains("_adapted_", StringComparison.Ordinal)
                && _silos.FirstOrDefault(s => s.Id == int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)) is { } silo)
            {
                victim = silo.Id;
                silo.Kill();
            }
        });
        var cjsGrid = Submit([.. Cjs(clusterCjs), "--cluster", config]);

        // And a CJS collection in 3 shards (one per policy), merged by the submitter.
        string[] Collect(string pool) =>
        [
            "collect", "--task", "cjs", "--policies", "cjs.fifo,cjs.fair,cjs.decima", "--jobs", "5", "--episodes", "2", "--seed", "3",
            "--out", pool, "--progress", "none", "--data-root", TestPaths.DataRoot,
        ];
        var clusterPool = Path.Combine(_dir.Path, "cluster-pool.safetensors");
        var collectGrid = Submit([.. Collect(clusterPool), "--cluster", config]);
        foreach (var (exit, error) in await Task.WhenAll(abrGrid, cjsGrid, collectGrid))
        {
            Assert.True(exit == 0, $"exit {exit}: {error}");
        }

        var clusterSeconds = clock.Elapsed.TotalSeconds;
        Assert.True(victim is not null, "no silo was seen running an item of the adapted run: " + (await abrGrid).Error);

        // The same grids run locally (one libtorch thread, as in the silos): the reports are equal byte for byte.
        clock.Restart();
        var localAbr = Path.Combine(_dir.Path, "local-abr");
        var localCjs = Path.Combine(_dir.Path, "local-cjs");
        var localPool = Path.Combine(_dir.Path, "local-pool.safetensors");
        foreach (var local in new[]
        {
            NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(3), [.. Abr(localAbr), "--threads", "1"]),
            NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(2), [.. Cjs(localCjs), "--threads", "1"]),
            NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(2), [.. Collect(localPool), "--threads", "1"]),
        })
        {
            Assert.True(local.Exit == 0, local.Error);
        }

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cluster grids (36 eval items and 3 collection shards, one silo killed): {clusterSeconds:F1} s; the same run locally: {clock.Elapsed.TotalSeconds:F1} s"));
        Assert.Equal(ClusterCollectTests.WithoutCreationTime(localPool), ClusterCollectTests.WithoutCreationTime(clusterPool));
        Assert.Equal(3, (await File.ReadAllLinesAsync(Path.Combine(_dir.Path, "cluster-pool.cluster.csv"))).Count(r => r.Contains(",done,", StringComparison.Ordinal)));

        // The finished collection's grid was forgotten: the same submission collects again. (Attached to the finished
        // grid, it would find no shard pools to merge: they were merged and removed.)
        File.Delete(clusterPool);
        var again = await Submit([.. Collect(clusterPool), "--cluster", config]);
        Assert.True(again.Exit == 0, $"exit {again.Exit}: {again.Error}");
        Assert.Contains("cluster: 3/3 done", again.Error, StringComparison.Ordinal);
        Assert.Equal(ClusterCollectTests.WithoutCreationTime(localPool), ClusterCollectTests.WithoutCreationTime(clusterPool));
        foreach (var (local, cluster) in new[] { (localAbr, clusterAbr), (localCjs, clusterCjs) })
        {
            foreach (var file in new[] { "results.json", "results.csv", "items.csv", "summary.md" })
            {
                Assert.Equal(await File.ReadAllTextAsync(Path.Combine(local, file)), await File.ReadAllTextAsync(Path.Combine(cluster, file)));
            }

            var rows = (await File.ReadAllLinesAsync(Path.Combine(cluster, "cluster.csv"))).Skip(1).ToList();
            Assert.Equal(3 * 2 * 3, rows.Count);
            Assert.All(rows, r => Assert.Contains(",done,", r, StringComparison.Ordinal));
        }

        // Every policy of both grids has its 6 runs in the report, the adapted run's with its own (seed-dependent) QoE.
        var abrRuns = (await File.ReadAllLinesAsync(Path.Combine(clusterAbr, "results.csv"))).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(6, abrRuns.Count(r => r[1] == adapted));
        Assert.Equal(3, abrRuns.Where(r => r[1] == adapted && r[2] == "default").Select(r => r[4]).Distinct().Count());
        Assert.Equal(["cjs.decima", "cjs.fair", "cjs.fifo"], (await File.ReadAllLinesAsync(Path.Combine(clusterCjs, "results.csv"))).Skip(1).Select(l => l.Split(',')[1]).Distinct().Order(StringComparer.Ordinal));

        // The killed silo's item ran again on another silo (attempt 2) and was reported once.
        var retried = Assert.Single((await File.ReadAllLinesAsync(Path.Combine(clusterAbr, "cluster.csv"))).Skip(1), r => r.Contains($":{victim}/0 ran out", StringComparison.Ordinal));
        Assert.Contains("_adapted_", retried, StringComparison.Ordinal);
        Assert.Contains(",done,2,", retried, StringComparison.Ordinal);
        Assert.DoesNotContain($":{victim}/", retried.Split(',')[3], StringComparison.Ordinal);
    }

    [RedisFact]
    public async Task SiloJoiningMidGrid_TakesWork_AndTheReportEqualsTheLocalOne()
    {
        using var redis = RedisServer.Start();
        var config = await Config(redis);
        Assert.True(await StartSilo(config));
        var first = _silos[0].Id;
        string[] Eval(string report) =>
        [
            "eval", "--task", "abr", "--policies", "abr.genet", "--settings", "default,synthetic", "--seeds", "6", "--seed", "4",
            "--episodes", "300", "--report", report, "--no-plots", "--progress", "none", "--data-root", TestPaths.FixtureData,
        ];
        var clusterReport = Path.Combine(_dir.Path, "cluster");
        Task<bool>? joined = null;
        var grid = Submit([.. Eval(clusterReport), "--cluster", config], line =>
        {
            // Once the lone silo runs the first item, a second silo starts (the other 11 items are pending).
            if (joined is null && RunningOn().IsMatch(line))
            {
                joined = StartSilo(config);
            }
        });
        var (exit, error) = await grid;
        Assert.True(exit == 0, $"exit {exit}: {error}");
        Assert.True(joined is not null && await joined, "the second silo did not start: " + error);
        var second = _silos[1].Id;

        var localReport = Path.Combine(_dir.Path, "local");
        var local = NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(2), [.. Eval(localReport), "--threads", "1"]);
        Assert.True(local.Exit == 0, local.Error);
        foreach (var file in new[] { "results.json", "results.csv", "items.csv", "summary.md" })
        {
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(localReport, file)), await File.ReadAllTextAsync(Path.Combine(clusterReport, file)));
        }

        // Every item ran once; the silo that joined ran some of them, the first silo the others.
        var workers = (await File.ReadAllLinesAsync(Path.Combine(clusterReport, "cluster.csv"))).Skip(1).Select(r => r.Split(',')).ToList();
        Assert.Equal(12, workers.Count);
        Assert.All(workers, r => Assert.Equal(["done", "1"], r[1..3]));
        var bySilo = workers.GroupBy(r => int.Parse(r[3].Split(':')[1].Split('/')[0], CultureInfo.InvariantCulture)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new[] { first, second }.Order(), bySilo.Keys.Order());
        Assert.True(bySilo[second] >= 1, $"the joining silo ran {bySilo[second]} item(s)");
        _output.WriteLine($"items run by the first silo: {bySilo[first]}, by the silo that joined: {bySilo[second]}");
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

    /// <summary>Runs a submitting <c>netllm</c> command to its end (3 minutes at most); every standard error line goes to <paramref name="onLine"/>.</summary>
    private async Task<(int Exit, string Error)> Submit(string[] args, Action<string>? onLine = null)
    {
        var errors = new ConcurrentQueue<string>();
        using var process = Process.Start(NetllmProcess.StartInfo(_dir.Path, args))!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                errors.Enqueue(e.Data);
                onLine?.Invoke(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            Assert.Fail($"netllm {string.Join(' ', args)} did not finish within 3 minutes: " + string.Join("\n", errors));
        }

        process.WaitForExit();
        return (process.ExitCode, string.Join("\n", errors));
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
        var silo = Process.Start(NetllmProcess.StartInfo(_dir.Path, "cluster", "silo", "--cluster", config, "--threads", "1",
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
