using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Model;
using NetLlm.Tasks.ViewportPrediction.Options;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Options;

/// <summary>The task's options, settings and model options as records: names, defaults, ranges, verbs and rules.</summary>
public sealed class VpOptionsTests
{
    private static OptionInput In(string name, string value) => new(name, value, $"option --{name}");

    [Fact]
    public void TaskOptions_KeepTheOldNames_WithoutTheEnginesTestOptions()
    {
        var schema = OptionSchema.Of<VpOptions>();
        Assert.Equal(
            ["dataset", "split", "history", "future", "trim-head", "trim-tail", "step", "videos", "viewers", "viewports", "image-features", "frames", "time-tolerance", "valid-samples", "repeats", "bench-samples", "bench-batch-size", "bench-backbone", "bench-model-samples"],
            schema.Fields.Select(f => f.Name));
        Assert.Null(schema.Find("limit"));
        Assert.Null(schema.Find("batch-size"));
        Assert.DoesNotContain(schema.Fields, f => f.Name.StartsWith("track-", StringComparison.Ordinal));
        Assert.Equal(["dataset", "split", "history", "future", "trim-head", "trim-tail", "step", "videos", "viewers", "viewports", "image-features", "frames", "time-tolerance", "valid-samples"], schema.For(VerbScope.Test).Select(f => f.Name));
        Assert.DoesNotContain("split", schema.For(VerbScope.Adapt).Select(f => f.Name));
        Assert.Equal(["repeats", "bench-samples", "bench-batch-size", "bench-backbone", "bench-model-samples"], schema.For(VerbScope.Bench).Select(f => f.Name).TakeLast(5));
        Assert.Empty(schema.For(VerbScope.Collect));
    }

    [Fact]
    public void TaskOptions_ParseAndCheckTheirRanges()
    {
        var schema = OptionSchema.Of<VpOptions>();
        var options = (VpOptions)schema.Apply(new VpOptions(), [In("split", "valid"), In("videos", "4,8"), In("viewers", "83"), In("time-tolerance", "0.5"), In("dataset", "wu2017")]);
        Assert.Equal((ViewportSplit.Valid, 0.5, "wu2017"), (options.Split, options.TimeTolerance, options.Dataset));
        Assert.Equal([4, 8], options.Videos);
        Assert.Equal("Wu2017", VpOptionsRules.Dataset(options).Name);
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => schema.Apply(new VpOptions(), [In("history", "1")])).Message);
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => schema.Apply(new VpOptions(), [In("videos", "0")])).Message);
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => schema.Apply(new VpOptions(), [In("time-tolerance", "-1")])).Message);
        Assert.Contains("is not one of train, valid, test", Assert.Throws<ArgumentException>(() => schema.Apply(new VpOptions(), [In("split", "dev")])).Message);
        var back = (VpOptions)schema.FromJson(schema.ToJson(options), "test");
        Assert.Equal(options.Videos, back.Videos);
        Assert.Equal(options with { Videos = null, Viewers = null }, back with { Videos = null, Viewers = null });
    }

    [Fact]
    public void Rules_NameTheOptions()
    {
        Assert.Contains("--trim-head", Assert.Throws<ArgumentException>(() => VpOptionsRules.Check(new VpOptions { History = 40 })).Message);
        Assert.Contains("--trim-tail", Assert.Throws<ArgumentException>(() => VpOptionsRules.Check(new VpOptions { Future = 61 })).Message);
        Assert.Contains("--dataset", Assert.Throws<ArgumentException>(() => VpOptionsRules.Check(new VpOptions { Dataset = "Foo" })).Message);
        Assert.Contains("--image-features and --frames", Assert.Throws<ArgumentException>(() => VpOptionsRules.Check(new VpOptions { ImageFeatures = "a", Frames = "b" })).Message);
        var valid = VpOptionsRules.DataRequest(new VpOptions { Videos = [4] }, DataSplit.Valid);
        Assert.Equal((ViewportSplit.Valid, 4), (valid.Split, valid.Pairs()[0].Video));
        Assert.Equal(ViewportSplit.Train, VpOptionsRules.DataRequest(new VpOptions { Split = ViewportSplit.Test }, DataSplit.Train).Split);
    }

    [Fact]
    public void Settings_ArePaperPresets_DefaultForEveryVerb()
    {
        var settings = VpPlugins.Task.Settings.Cast<TaskSetting<VpOptions>>().ToList();
        Assert.Equal(["default", "unseen-1", "unseen-2", "unseen-3"], settings.Select(s => s.Name));
        Assert.Equal(VerbScope.All, settings[0].DefaultFor);
        var applied = settings.Select(s => s.Change(new VpOptions { History = 4, TrimHead = 5, Videos = [4] })).ToList();
        Assert.Equal([("Jin2022", 20), ("Jin2022", 25), ("Wu2017", 20), ("Wu2017", 25)], applied.Select(o => (o.Dataset, o.Future)));
        Assert.All(applied, o => Assert.Equal((ViewportSplit.Test, 10, 30, 60, 15), (o.Split, o.History, o.TrimHead, o.TrimTail, o.Step)));
        Assert.All(applied, o => Assert.Equal([4], o.Videos));
        Assert.Equal(new HashSet<string> { "dataset", "future" }, TaskOptionsResolver.SettingDefined(VpPlugins.Task, typeof(VpOptions)));
    }

    [Fact]
    public void ModelOptions_KeepTodaysSettings_ForAdaptOnly()
    {
        var schema = OptionSchema.Of<VpModelOptions>();
        Assert.Equal(["mix-rate", "image-token", "image-feature-dim", "image-size", "conv-channels", "residual-head", "residual-scale", "loss", "original-skip-ln-on-appended", "augment", "freeze-vp-conv"], schema.Fields.Select(f => f.Name));
        Assert.All(schema.Fields, f => Assert.Equal(VerbScope.Adapt, f.Verbs));
        var options = (VpModelOptions)schema.Apply(new VpModelOptions(), [In("mix-rate", "0.25"), In("image-token", ""), In("image-feature-dim", "64"), In("original-skip-ln-on-appended", "true"), In("freeze-vp-conv", ""), In("residual-head", ""), In("loss", "angular-mae")]);
        Assert.Equal(new VpModelOptions { MixRate = 0.25, UseImageToken = true, ImageFeatureDim = 64, OriginalSkipLayerNormOnAppended = true, FreezeViewportConvolution = true, ResidualHead = true, Loss = VpLoss.AngularMae }, options);
        Assert.Equal(VpLoss.Mse, new VpModelOptions().Loss);
        var badLoss = Assert.Throws<ArgumentException>(() => schema.Apply(new VpModelOptions(), [In("loss", "l2")])).Message;
        Assert.Contains("angular-mae", badLoss);
        Assert.Equal(options, schema.FromJson(schema.ToJson(options), "run.json: model.options"));
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => schema.Apply(new VpModelOptions(), [In("mix-rate", "2")])).Message);
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => schema.Apply(new VpModelOptions(), [In("conv-channels", "0")])).Message);
    }
}
