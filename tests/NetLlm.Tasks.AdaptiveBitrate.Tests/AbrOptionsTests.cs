using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.Pensieve;
using NetLlm.Baselines.RobustMpc;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;
using NetLlm.Tasks.AdaptiveBitrate.Model;
using NetLlm.Tasks.AdaptiveBitrate.Settings;
using static NetLlm.Tasks.AdaptiveBitrate.Tests.AbrTestRegistry;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

/// <summary>The options records (names, ranges, verbs), the settings and how options resolve for each verb.</summary>
public sealed class AbrOptionsTests
{
    private static AbrOptions Resolve(VerbScope verb, string? setting = null, OptionInput[]? configured = null, OptionInput[]? given = null, string expectedSetting = "")
    {
        var resolved = TaskOptionsResolver.Resolve(Abr, typeof(AbrOptions), verb, setting, configured ?? [], given ?? []);
        Assert.Equal(expectedSetting, resolved.Setting);
        return (AbrOptions)resolved.Options;
    }

    [Fact]
    public void OptionNames_KeepTheOldCommandLine()
    {
        Assert.Equal(
            ["traces", "video", "start-pointers", "deterministic", "trace-count", "episodes", "synthetic", "synthetic-count", "synthetic-seed", "bench-seconds"],
            OptionSchema.Of<AbrOptions>().Fields.Select(f => f.Name).ToArray());
        Assert.DoesNotContain(OptionSchema.Of<AbrOptions>().For(VerbScope.Test), f => f.Name == "bench-seconds");
        Assert.Contains(OptionSchema.Of<AbrOptions>().For(VerbScope.Bench), f => f.Name == "bench-seconds");
        Assert.Equal(["state-feature-dim", "conv-size"], OptionSchema.Of<AbrModelOptions>().For(VerbScope.Adapt).Select(f => f.Name).ToArray());
        Assert.Equal(["mpc-float32-state", "mpc-error-weight"], OptionSchema.Of<RobustMpcOptions>().Fields.Select(f => f.Name).ToArray());
        Assert.Equal(["argmax", "actor"], OptionSchema.Of<PensieveOptions>().Fields.Select(f => f.Name).ToArray());
    }

    [Theory]
    [InlineData("trace-count", "0")]
    [InlineData("episodes", "0")]
    [InlineData("synthetic-count", "0")]
    [InlineData("synthetic-seed", "-1")]
    [InlineData("bench-seconds", "0")]
    [InlineData("trace-count", "many")]
    public void OutOfRangeValues_NameTheOption(string name, string value)
    {
        var e = Assert.Throws<ArgumentException>(() => OptionSchema.Of<AbrOptions>().Apply(new AbrOptions(), [In(name, value)]));
        Assert.Contains("--" + name, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("state-feature-dim", "0")]
    [InlineData("conv-size", "0")]
    [InlineData("conv-size", "7")]
    public void ModelOptions_OutOfRange_NameTheOption(string name, string value)
    {
        var e = Assert.Throws<ArgumentException>(() => OptionSchema.Of<AbrModelOptions>().Apply(new AbrModelOptions(), [In(name, value)]));
        Assert.Contains("--" + name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_AreTheOriginalsAndEachVerbHasItsDefault()
    {
        Assert.Equal(["default", "train", "valid", "unseen-1", "unseen-2", "unseen-3", "synthetic"], Abr.Settings.Select(s => s.Name).ToArray());
        Assert.All(Abr.Settings, s => Assert.Equal(typeof(AbrOptions), s.OptionsType));
        Assert.Equal(new AbrOptions { Traces = AbrSettings.FccTest, Video = AbrSettings.Video1, StartPointers = AbrSettings.FccTestPointers, Deterministic = true }, Resolve(VerbScope.Test, expectedSetting: "default"));
        Assert.Equal(Resolve(VerbScope.Test, expectedSetting: "default"), Resolve(VerbScope.Bench, expectedSetting: "default"));
        Assert.Equal(new AbrOptions { Traces = AbrSettings.FccTrain, Video = AbrSettings.Video1 }, Resolve(VerbScope.Collect, expectedSetting: "train"));
        Assert.Equal(new AbrOptions { Traces = AbrSettings.FccValid, Video = AbrSettings.Video1, Deterministic = true }, Resolve(VerbScope.Adapt, expectedSetting: "valid"));
        Assert.Equal(new AbrOptions { Traces = AbrSettings.FccTest, Video = AbrSettings.Video2, StartPointers = AbrSettings.FccTestPointers, Deterministic = true }, Resolve(VerbScope.Test, "unseen-1", expectedSetting: "unseen-1"));
        Assert.Equal(new AbrOptions { Traces = AbrSettings.SyntheticTest, Video = AbrSettings.Video1, Deterministic = true }, Resolve(VerbScope.Test, "unseen-2", expectedSetting: "unseen-2"));
        Assert.Equal(new AbrOptions { Traces = AbrSettings.SyntheticTest, Video = AbrSettings.Video2, Deterministic = true }, Resolve(VerbScope.Test, "unseen-3", expectedSetting: "unseen-3"));
        Assert.Equal(new AbrOptions { Synthetic = true, Deterministic = true }, Resolve(VerbScope.Test, "synthetic", expectedSetting: "synthetic"));
    }

    [Fact]
    public void Settings_DefineEveryDataOption_CommandLineOverridesThem_TraceSourcesMakeACustomRun()
    {
        // A setting replaces the configuration's data options; the command line changes the setting's.
        var configured = new[] { In("start-pointers", "x.json"), In("synthetic-count", 5) };
        var train = Resolve(VerbScope.Collect, configured: configured, expectedSetting: "train");
        Assert.Null(train.StartPointers);
        Assert.Equal(5, train.SyntheticCount);
        Assert.Equal(3, Resolve(VerbScope.Test, given: [In("trace-count", 3)], expectedSetting: "default").TraceCount);
        Assert.Equal(AbrSettings.Video2, Resolve(VerbScope.Test, "default", given: [In("video", AbrSettings.Video2)], expectedSetting: "default").Video);

        // Without --setting, a trace source describes the run itself.
        var custom = Resolve(VerbScope.Test, given: [In("traces", "my/traces"), In("video", "my/video")], expectedSetting: "custom");
        Assert.Equal(new AbrOptions { Traces = "my/traces", Video = "my/video" }, custom);
        Assert.True(Resolve(VerbScope.Test, given: [In("synthetic", true)], expectedSetting: "custom").Synthetic);
    }

    [Fact]
    public void CrossOptionRules_NameTheOptions()
    {
        AbrScenarioLoader.Validate(new AbrOptions { Synthetic = true });
        AbrScenarioLoader.Validate(new AbrOptions { Traces = "t", Video = "v" });
        Assert.Contains("--traces is required", Assert.Throws<ArgumentException>(() => AbrScenarioLoader.Validate(new AbrOptions())).Message, StringComparison.Ordinal);
        Assert.Contains("--video", Assert.Throws<ArgumentException>(() => AbrScenarioLoader.Validate(new AbrOptions { Traces = "t" })).Message, StringComparison.Ordinal);
        AbrScenarioLoader.Validate(new AbrOptions { Synthetic = true, Video = "v" });
        var both = Assert.Throws<ArgumentException>(() => AbrScenarioLoader.Validate(new AbrOptions { Synthetic = true, Traces = "t", Video = "v", StartPointers = "p" })).Message;
        Assert.Contains("excludes --traces, --start-pointers", both, StringComparison.Ordinal);
    }

    [Fact]
    public void Synthetic_WithVideo_GeneratesTheTraces_AndStreamsTheGivenVideo()
    {
        var context = new TaskContext { DataRoot = AbrTestData.Root };
        var generated = AbrScenarioLoader.Load(new AbrOptions { Synthetic = true, SyntheticCount = 3, SyntheticSeed = 5 }, context);
        var withVideo = AbrScenarioLoader.Load(new AbrOptions { Synthetic = true, SyntheticCount = 3, SyntheticSeed = 5, Video = "abr/videos/video1_sizes" }, context);
        Assert.Equal(3, withVideo.Traces.Count);
        Assert.Equal(generated.Traces[2].Mbps.ToArray(), withVideo.Traces[2].Mbps.ToArray());
        Assert.Equal(AbrTestData.Video1.ChunkBytes(4, 11), withVideo.Video.ChunkBytes(4, 11));
        Assert.NotEqual(generated.Video.ChunkBytes(4, 11), withVideo.Video.ChunkBytes(4, 11));
        var missing = Assert.Throws<FileNotFoundException>(() => AbrScenarioLoader.Load(new AbrOptions { Synthetic = true, Video = "abr/videos/no-such-video" }, context));
        Assert.Contains("no-such-video", missing.Message, StringComparison.Ordinal);
    }
}
