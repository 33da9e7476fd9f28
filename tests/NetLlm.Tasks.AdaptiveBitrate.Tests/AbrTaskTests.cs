using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Engine;
using NetLlm.Tasks.AdaptiveBitrate.Results;
using NetLlm.Tasks.AdaptiveBitrate.Settings;
using NetLlm.Testing;
using static NetLlm.Tasks.AdaptiveBitrate.Tests.AbrTestRegistry;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

/// <summary>The ABR task through the engine: test, its JSON, result files, settings and errors, the benchmark and the demo plan.</summary>
public sealed class AbrTaskTests
{
    [DataFact("abr")]
    public void Test_WithoutSetting_UsesDefaultAndReportsTheQoeTerms()
    {
        var result = TaskEngine.Run(Request(TaskVerb.Test, ["abr.bba"]));
        Assert.Equal("default", result.Setting);
        var run = Assert.Single(result.Runs);
        var score = run.Score!;
        Assert.Equal(0.76415, score.Metric, 5);
        Assert.Equal(100, score.Items.Count);
        Assert.Equal("fcc-test_000_trace_942154_http---www.ebay.com_0", score.Items[0].Name);
        Assert.Equal(score.Metric, score.Items.Average(i => i.Value), 12);
        var d = score.Details!;
        Assert.Equal(100, (int)d["n_traces"]!);
        Assert.Equal(4700, (long)d["n_chunks_scored"]!);
        Assert.Equal(0.58305, (double)d["mean_qoe_all_chunks"]!, 5);
        Assert.Equal("video1_sizes", (string)d["video"]!);
        Assert.True((bool)d["deterministic"]!);
        var c = score.Components;
        Assert.Equal(score.Metric, c["bitrate"] - c["rebuffer"] - c["smoothness"], 12);
        Assert.Equal((double)d["mean_bitrate_mbps"]!, c["bitrate"]);
        Assert.Equal(4.3 * (double)d["mean_rebuffer_s"]!, c["rebuffer"], 12);
        Assert.Equal((double)d["mean_abs_dbitrate_mbps"]!, c["smoothness"]);
        Assert.Equal(100, (int)run.Details!["episodes"]!);
        Assert.Equal(4700, (long)run.Details["steps"]!);

        var json = result.ToJson();
        Assert.Equal("mean_qoe", (string)json["metric"]!["name"]!);
        Assert.Equal("trace", (string)json["metric"]!["item"]!);
        Assert.Equal(AbrSettings.FccTest, (string)json["options"]!["traces"]!);
        Assert.Equal(score.Metric, (double)json["results"]![0]!["metric"]!);
        Assert.Contains(result.Summary(), l => l.Contains("abr.bba mean QoE 0.76415 over 100 traces", StringComparison.Ordinal));
    }

    [DataFact("abr", SharedFixtures = ["abr-upstream/bba/" + AbrTestData.LastResultFile])]
    public void Test_SeveralPolicies_WriteTheOriginalsResultFilesPerPolicy()
    {
        using var dir = new TempDirectory();
        var result = TaskEngine.Run(Request(TaskVerb.Test, ["abr.bba", "abr.mpc"], setting: "default", output: dir.Path));
        Assert.Equal(2, result.Runs.Count);
        Assert.Equal(0.84845, result.Runs[1].Metric!.Value, 5);
        var mpc = Path.Combine(dir.Path, "abr.mpc");
        Assert.Equal(mpc, (string)result.Runs[1].Score!.Details!["results_dir"]!);
        Assert.Equal(100, Directory.GetFiles(mpc).Length);
        var bba = Directory.GetFiles(Path.Combine(dir.Path, "abr.bba"));
        Assert.Equal(100, bba.Length);
        Assert.All(bba, f => Assert.Equal(File.ReadAllText(Path.Combine(AbrTestData.Fixture("bba"), Path.GetFileName(f))), File.ReadAllText(f)));
    }

    [Fact]
    public void Test_OnePolicyWithOut_WritesIntoTheFolderItself()
    {
        using var dir = new TempDirectory();
        TaskEngine.Run(Request(TaskVerb.Test, ["abr.bba"], [In("trace-count", 3)], output: dir.Path));
        Assert.Equal(3, Directory.GetFiles(dir.Path, AbrResultsWriter.FilePrefix + "*").Length);
    }

    [Fact]
    public void Test_ExplicitTracesAndVideo_IsACustomRunWithTraceCountAndEpisodes()
    {
        var result = TaskEngine.Run(Request(TaskVerb.Test, ["abr.mpc"],
        [
            In("traces", "abr/traces/test/fcc-test"),
            In("video", "abr/videos/video2_sizes"),
            In("deterministic", true),
            In("trace-count", 5),
            In("episodes", 7),
        ]));
        Assert.Equal("custom", result.Setting);
        var score = result.Runs[0].Score!;
        Assert.Equal(7, score.Items.Count);
        Assert.Equal(7 * 47, (long)score.Details!["n_chunks_scored"]!);
        Assert.Equal(score.Items[0].Name, score.Items[5].Name);
        Assert.Equal("video2_sizes", (string)score.Details["video"]!);
        Assert.Equal(AbrTestData.Data("abr/traces/test/fcc-test"), (string)score.Details["traces"]!);
    }

    [Fact]
    public void Test_SyntheticSetting_NeedsNoDataRoot()
    {
        var result = TaskEngine.Run(Request(TaskVerb.Test, ["abr.bba"], [In("synthetic-count", 3)], setting: "synthetic", withDataRoot: false));
        var score = result.Runs[0].Score!;
        Assert.Equal(3, score.Items.Count);
        Assert.StartsWith("synthetic_synthetic_trace_000", score.Items[0].Name, StringComparison.Ordinal);
        Assert.InRange(score.Metric, -5, 4.3);
        Assert.Equal("synthetic(count=3, seed=1)", (string)score.Details!["traces"]!);
    }

    [Fact]
    public void Test_NoisySetting_DependsOnTheRunSeedOnly()
    {
        using var dir = new TempDirectory();
        string Chunks(int seed, string name)
        {
            var output = Path.Combine(dir.Path, name);
            TaskEngine.Run(Request(TaskVerb.Test, ["abr.bba"], [In("trace-count", 2)], setting: "train", seed: seed, output: output));
            return string.Concat(Directory.GetFiles(output).Order(StringComparer.Ordinal).Select(File.ReadAllText));
        }

        // The delay noise is seeded with the run's seed at the first reset (the engine's rule for every verb).
        Assert.Equal(Chunks(3, "a"), Chunks(3, "b"));
        Assert.NotEqual(Chunks(3, "a"), Chunks(4, "c"));
    }

    [Fact]
    public void Test_BadInput_GivesClearErrors()
    {
        Assert.Contains("no setting 'nope'", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["abr.bba"], setting: "nope"))).Message, StringComparison.Ordinal);
        Assert.Contains("unknown policy 'abr.nope'", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["abr.nope"]))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, [])));
        // No data root at all is a configuration error (exit 2), naming what the policy needs.
        Assert.Contains("abr/models/genet/actor.safetensors", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["abr.genet"], setting: "synthetic", withDataRoot: false))).Message, StringComparison.Ordinal);
        Assert.Contains("--traces", Assert.Throws<FileNotFoundException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["abr.bba"], [In("traces", "no/such/folder"), In("video", AbrSettings.Video1)]))).Message, StringComparison.Ordinal);
        Assert.Contains("--video", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["abr.bba"], [In("traces", AbrSettings.FccTest)]))).Message, StringComparison.Ordinal);
        Assert.Contains("--traces", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["abr.bba"], [In("synthetic", true), In("traces", AbrSettings.FccTest)]))).Message, StringComparison.Ordinal);
        Assert.Contains("--trace-count", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["abr.bba"], [In("trace-count", 0)]))).Message, StringComparison.Ordinal);
        Assert.Contains("--pool", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Adapt, []))).Message, StringComparison.Ordinal);
        Assert.Contains("no experience pool file given", Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Collect, ["abr.bba"]))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_BadTraceFolder_ReportsEveryBadFile()
    {
        using var dir = new TempDirectory();
        dir.File("t1", "0 1\n1 2\n");
        dir.File("t2", "0 1\n");
        dir.File("t3", "0 1\n1 x\n");
        var e = Assert.Throws<InvalidDataException>(() => TaskEngine.Run(Request(TaskVerb.Test, ["abr.bba"], [In("traces", dir.Path), In("video", AbrSettings.Video1)])));
        Assert.Contains("2 of 3 trace files are invalid", e.Message, StringComparison.Ordinal);
        Assert.Contains("t2: only one sample", e.Message, StringComparison.Ordinal);
        Assert.Contains("t3:2: bandwidth 'x'", e.Message, StringComparison.Ordinal);
    }

    [DataFact("abr")]
    public void Bench_ReportsChunksPerSecondPerPolicy_WithoutPerChunkAllocations()
    {
        Assert.True(TaskEngine.HasBenchmark(Abr));
        var j = TaskEngine.Bench(Request(TaskVerb.Bench, [], [In("bench-seconds", 0.05)]), quick: false);
        Assert.Equal(1, (int)j["threads"]!);
        Assert.Equal(100, (int)j["episodes_per_run"]!);
        foreach (var id in new[] { "abr.bba", "abr.mpc" })
        {
            var p = j["policies"]![id]!;
            Assert.True((double)j["chunks_per_s"]![id]! > 0);
            Assert.Equal(0, (long)p["chunks"]! % 4800);
            Assert.InRange((double)p["allocated_bytes_per_chunk"]!, 0, 16);
        }

        Assert.Equal(0.76415, (double)j["policies"]!["abr.bba"]!["mean_qoe"]!, 5);
        Assert.Equal(0.84845, (double)j["policies"]!["abr.mpc"]!["mean_qoe"]!, 5);
        Assert.InRange((double)j["simulator_only"]!["allocated_bytes_per_chunk"]!, 0, 16);

        var noRegistry = new TaskContext { Seed = 1, DataRoot = AbrTestData.Root };
        Assert.Contains("registry", Assert.Throws<InvalidOperationException>(() => Abr.RunBenchmark(new AbrOptions { Synthetic = true, Deterministic = true }, noRegistry, quick: true)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Task_DeclaresItsInfoBaselinesAndData()
    {
        var shape = TaskShape.Of(Abr);
        Assert.Equal(TaskKind.Decision, shape.Kind);
        Assert.Equal(typeof(AbrOptions), shape.OptionsType);
        var info = Abr.Info;
        Assert.Equal("abr", info.Id);
        Assert.Equal("mean QoE", info.Metric.DisplayLabel);
        Assert.True(info.Metric.HigherIsBetter);
        Assert.Equal("trace", info.Metric.ItemLabel);
        Assert.Equal(["bitrate", "rebuffer", "smoothness"], info.Metric.Components.Select(c => c.Name).ToArray());
        Assert.True(Abr.Protocol.AskOnFinalObservation);
        var registry = Create();
        Assert.Equal(7, info.Baselines.Count);
        Assert.All(info.Baselines, id => Assert.Equal("abr", registry.GetPolicy(id).TaskId));
        Assert.All(registry.Policies.SelectMany(p => p.RequiredData), path => Assert.Contains(info.Data, r => r.RelativePath == path));
        var validate = info.Data.First(r => r.RelativePath == AbrSettings.FccTest).Validate!;
        Assert.All(Directory.GetFiles(AbrTestData.Data(AbrSettings.FccTest)), f => Assert.Null(validate(f)));
        using var bad = new TempDirectory();
        Assert.Contains("only one sample", validate(bad.File("t", "0 1\n")), StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_GeneratesTracesSeededByTheRun_OrUsesTheDataRootsSettings()
    {
        var demo = Abr.Demo;
        Assert.Equal(["abr.bba", "abr.mpc", "abr.genet"], demo.Policies);
        Assert.Equal(["abr.mpc"], demo.Experts);
        var configured = new AbrOptions { Traces = "x", Video = "y", TraceCount = 5 };
        var train = demo.Train(configured, 7);
        Assert.Equal(new AbrOptions { Synthetic = true, Deterministic = true, SyntheticCount = 80, SyntheticSeed = 7, TraceCount = 5 }, train);
        var test = demo.Test(new AbrOptions(), 7);
        Assert.Equal(new AbrOptions { Synthetic = true, Deterministic = true, SyntheticCount = 40, SyntheticSeed = 8 }, test);
        Assert.Equal("train", demo.DataTrainSetting);
        Assert.Equal("default", demo.DataTestSetting);
        Assert.All(new[] { demo.DataTrainSetting, demo.DataTestSetting }, name => Assert.Contains(Abr.Settings, s => s.Name == name));
    }
}
