using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.Abr;
using NetLlm.Core.Plugins;
using NetLlm.Testing;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

public sealed class AbrTaskTests
{
    private static readonly PluginRegistry Registry = new(
        legacyTasks: [new AbrTask()],
        legacyPolicies: [new BbaPolicyProvider(), new RobustMpcPolicyProvider(), new GenetPolicyProvider(), new Udr1PolicyProvider(), new Udr2PolicyProvider(), new Udr3PolicyProvider(), new UdrRealPolicyProvider()]);

    private static TaskReport Run(TaskVerb verb, string[] policies, Dictionary<string, string>? options = null, string? setting = null, string? dataRoot = "default", int seed = 1)
    {
        var request = new TaskRequest
        {
            Verb = verb,
            Policies = policies,
            Setting = setting,
            Arguments = new TaskArguments(options),
            DataRoot = dataRoot == "default" ? TestPaths.DataRoot : dataRoot,
            Seed = seed,
            Registry = Registry,
        };
        return Registry.GetLegacyTask("abr").Run(request);
    }

    [Fact]
    public void Test_WithoutSetting_UsesDefaultAndReportsTheCliFields()
    {
        var report = Run(TaskVerb.Test, ["abr.bba"]);
        var j = report.Json;
        Assert.Equal(0.76415, (double)j["mean_qoe"]!, 5);
        Assert.Equal(100, (int)j["n_traces"]!);
        Assert.Equal(4700, (long)j["n_chunks_scored"]!);
        Assert.Equal(1, (int)j["seed"]!);
        Assert.Equal("abr.bba", (string)j["policy"]!);
        Assert.Equal("default", (string)j["setting"]!);
        Assert.Equal(0.58305, (double)j["mean_qoe_all_chunks"]!, 5);
        Assert.Equal(100, j["per_trace"]!.AsArray().Count);
        Assert.Equal("fcc-test_000_trace_942154_http---www.ebay.com_0", (string)j["per_trace"]![0]!["name"]!);
        Assert.Equal(report.Metric!.Value, report.Distribution.Average(), 12);
        var terms = report.Components["bitrate"] - report.Components["rebuffer"] - report.Components["smoothness"];
        Assert.Equal(report.Metric.Value, terms, 12);
        Assert.Equal((double)j["mean_bitrate_mbps"]!, report.Components["bitrate"]);
        Assert.Equal(4.3 * (double)j["mean_rebuffer_s"]!, report.Components["rebuffer"], 12);
        Assert.Equal((double)j["mean_abs_dbitrate_mbps"]!, report.Components["smoothness"]);
    }

    [Fact]
    public void Test_SeveralPolicies_ReportsEachAndWritesResultsPerPolicy()
    {
        using var dir = new TempDirectory();
        var report = Run(TaskVerb.Test, ["abr.bba", "abr.mpc"], new() { ["results-dir"] = dir.Path }, setting: "default");
        var runs = report.Json["runs"]!.AsArray();
        Assert.Equal(2, runs.Count);
        Assert.Equal(0.84845, (double)runs[1]!["mean_qoe"]!, 5);
        Assert.Equal(100, Directory.GetFiles(Path.Combine(dir.Path, "abr.mpc")).Length);
        Assert.Equal(100, Directory.GetFiles(Path.Combine(dir.Path, "abr.bba")).Length);
        Assert.Equal(2, report.Summary.Count);
    }

    [Fact]
    public void Test_ExplicitTracesAndVideo_WithTraceCountAndEpisodes()
    {
        var report = Run(TaskVerb.Test, ["abr.mpc"], new()
        {
            ["traces"] = "abr/traces/test/fcc-test",
            ["video"] = "abr/videos/video2_sizes",
            ["deterministic"] = "true",
            ["trace-count"] = "5",
            ["episodes"] = "7",
        });
        Assert.Equal(7, (int)report.Json["n_traces"]!);
        Assert.Equal(7 * 47, (long)report.Json["n_chunks_scored"]!);
        Assert.Equal((string)report.Json["per_trace"]![0]!["name"]!, (string)report.Json["per_trace"]![5]!["name"]!);
        Assert.Equal("video2_sizes", (string)report.Json["video"]!);
    }

    [Fact]
    public void Test_SyntheticSetting_NeedsNoDataRoot()
    {
        var report = Run(TaskVerb.Test, ["abr.bba"], new() { ["synthetic-count"] = "3" }, setting: "synthetic", dataRoot: null);
        Assert.Equal(3, (int)report.Json["n_traces"]!);
        Assert.StartsWith("synthetic_synthetic_trace_000", (string)report.Json["per_trace"]![0]!["name"]!, StringComparison.Ordinal);
        Assert.InRange((double)report.Json["mean_qoe"]!, -5, 4.3);
    }

    [Fact]
    public void Test_BadInput_GivesClearErrors()
    {
        Assert.Contains("no setting 'nope'", Assert.Throws<ArgumentException>(() => Run(TaskVerb.Test, ["abr.bba"], setting: "nope")).Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => Run(TaskVerb.Test, ["abr.nope"]));
        Assert.Throws<ArgumentException>(() => Run(TaskVerb.Test, []));
        using var run = new TempDirectory();
        Assert.Contains("not an adapted run directory", Assert.Throws<FileNotFoundException>(() => Run(TaskVerb.Test, [run.Path])).Message, StringComparison.Ordinal);
        Assert.Contains("--traces", Assert.Throws<FileNotFoundException>(() => Run(TaskVerb.Test, ["abr.bba"], new() { ["traces"] = "no/such/folder", ["video"] = "abr/videos/video1_sizes" })).Message, StringComparison.Ordinal);
        Assert.Contains("--out", Assert.Throws<ArgumentException>(() => Run(TaskVerb.Adapt, [])).Message, StringComparison.Ordinal);
        Assert.Contains("--out", Assert.Throws<ArgumentException>(() => Run(TaskVerb.Collect, ["abr.bba"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_BadTraceFolder_ReportsEveryBadFile()
    {
        using var dir = new TempDirectory();
        dir.File("t1", "0 1\n1 2\n");
        dir.File("t2", "0 1\n");
        dir.File("t3", "0 1\n1 x\n");
        var e = Assert.Throws<InvalidDataException>(() => Run(TaskVerb.Test, ["abr.bba"], new() { ["traces"] = dir.Path, ["video"] = "abr/videos/video1_sizes" }));
        Assert.Contains("2 of 3 trace files are invalid", e.Message, StringComparison.Ordinal);
        Assert.Contains("t2: only one sample", e.Message, StringComparison.Ordinal);
        Assert.Contains("t3:2: bandwidth 'x'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_ReportsChunksPerSecondPerPolicy_WithoutPerChunkAllocations()
    {
        var report = Run(TaskVerb.Bench, [], new() { ["bench-seconds"] = "0.05" });
        var j = report.Json;
        Assert.Equal(1, (int)j["threads"]!);
        foreach (var id in new[] { "abr.bba", "abr.mpc" })
        {
            var p = j["policies"]![id]!;
            Assert.True((double)j["chunks_per_s"]![id]! > 0);
            Assert.Equal(0, (long)p["chunks"]! % 4800);
            Assert.InRange((double)p["allocated_bytes_per_chunk"]!, 0, 16);
        }

        Assert.Equal(0.76415, (double)j["policies"]!["abr.bba"]!["mean_qoe"]!, 5);
        Assert.InRange((double)j["simulator_only"]!["allocated_bytes_per_chunk"]!, 0, 16);
    }

    [Fact]
    public void Task_DeclaresSettingsOptionsAndBaselines()
    {
        var task = new AbrTask();
        Assert.Equal(["default", "train", "valid", "unseen-1", "unseen-2", "unseen-3", "synthetic"], task.Settings.Select(s => s.Name).ToArray());
        foreach (var name in new[] { "traces", "video", "start-pointers", "deterministic", "argmax", "results-dir", "trace-count", "episodes", "synthetic" })
        {
            Assert.Contains(task.Options, o => o.Name == name);
        }

        Assert.Equal(7, task.Baselines.Count);
        Assert.All(task.Baselines, id => Assert.Equal("abr", Registry.GetLegacyPolicy(id).TaskId));
        var requirement = task.DataRequirements.First(r => r.RelativePath == "abr/traces/test/fcc-test");
        var tracesDir = TestPaths.Data("abr/traces/test/fcc-test");
        Assert.All(Directory.GetFiles(tracesDir), f => Assert.Null(requirement.Validate!(f)));
    }
}
