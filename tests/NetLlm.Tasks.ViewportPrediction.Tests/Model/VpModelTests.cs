using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Model;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Model;

public sealed class VpModelTests : IDisposable
{
    private readonly TinyCausalBackbone _backbone = new(hidden: 32, heads: 4);

    public void Dispose() => _backbone.Dispose();

    private static List<ViewportSample> Batch(int count, int history = 10, int future = 20, int seed = 0) =>
        Enumerable.Range(seed, count).Select(i => VpData.Synthetic(history, future, i)).ToList();

    private static VpModel NewModel(VpModelOptions? options = null, int seed = 3)
    {
        random.manual_seed(seed);
        return new VpModel(32, options);
    }

    [Fact]
    public void Modules_HaveTheOriginalsShapes()
    {
        using var model = NewModel();
        var shapes = model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(new long[] { 256, 1, 3 }, shapes["vp_encoder.conv.weight"]);
        Assert.Equal(new long[] { 32, 256 }, shapes["vp_encoder.proj.weight"]);
        Assert.Equal(new long[] { 32, 768 }, shapes["embed_multimodal.weight"]);
        Assert.Equal(new long[] { 32 }, shapes["embed_ln.weight"]);
        Assert.Equal(new long[] { 3, 32 }, shapes["networking_head.weight"]);
        Assert.All(model.Module.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Predict_WithKvCache_EqualsRecomputingTheWholeSequence()
    {
        using var model = NewModel();
        var batch = Batch(3);
        _backbone.Module.eval();
        var before = _backbone.Forwards;
        using var cached = model.Predict(_backbone, batch);
        Assert.Equal(20, _backbone.Forwards - before);
        using var recomputed = model.PredictRecomputing(_backbone, batch);
        Assert.Equal(new long[] { 3, 20, 3 }, cached.shape);
        var difference = (cached - recomputed).abs().max().item<float>();
        Assert.True(difference < 1e-3f, $"max difference {difference} deg");
        Assert.True(cached.abs().max().item<float>() > 0.01f);
    }

    [Fact]
    public void Predict_ProcessesEachTokenOnce()
    {
        using var model = NewModel();
        var tokensBefore = _backbone.TokensProcessed;
        using var prediction = model.Predict(_backbone, Batch(2));
        Assert.Equal(10 + 19, _backbone.TokensProcessed - tokensBefore);
    }

    [Fact]
    public void Predictions_AreValidOrientations_ThanksToTanh()
    {
        using var model = NewModel();
        using var prediction = model.Predict(_backbone, Batch(4));
        using var absolute = prediction.abs();
        Assert.True(absolute.select(2, 0).max().item<float>() <= 180f);
        Assert.True(absolute.select(2, 1).max().item<float>() <= 90f);
        Assert.True(absolute.select(2, 2).max().item<float>() <= 180f);
    }

    [Fact]
    public void TeacherForcingLoss_IsMseOfHeadOverFuturePositions_AndTrainsTheConvolution()
    {
        using var model = NewModel(new VpModelOptions { MixRate = 0 });
        var batch = Batch(2);
        using var loss = model.TrainingLoss(_backbone, batch, new Random(1));
        Assert.Empty(loss.shape);
        Assert.True(loss.item<float>() > 0);
        loss.backward();
        var grads = model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        Assert.NotNull(grads["vp_encoder.conv.weight"]);
        Assert.True(grads["vp_encoder.conv.weight"]!.abs().sum().item<float>() > 0);
        Assert.True(grads["networking_head.weight"]!.abs().sum().item<float>() > 0);
        Assert.Null(grads["embed_multimodal.weight"]);
    }

    [Fact]
    public void FrozenConvolution_IsTheOriginalsBehaviour()
    {
        using var model = NewModel(new VpModelOptions { FreezeViewportConvolution = true, MixRate = 0 });
        var trainable = model.Module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.DoesNotContain("vp_encoder.conv.weight", trainable);
        Assert.Contains("vp_encoder.proj.weight", trainable);
        using var loss = model.TrainingLoss(_backbone, Batch(1), new Random(1));
        loss.backward();
        Assert.True(model.Module.named_parameters().First(p => p.name == "vp_encoder.proj.weight").parameter.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void ScheduledSampling_MixRateOne_TrainsOnTheAutoregressivePrediction()
    {
        using var model = NewModel(new VpModelOptions { MixRate = 1 });
        var batch = Batch(2);
        using var loss = model.TrainingLoss(_backbone, batch, new Random(1));
        var validation = model.ValidationLoss(_backbone, batch);
        Assert.Equal(validation, loss.item<float>(), 4);
        loss.backward();
        Assert.True(model.Module.named_parameters().First(p => p.name == "vp_encoder.conv.weight").parameter.grad!.abs().sum().item<float>() > 0);

        using var teacher = NewModel(new VpModelOptions { MixRate = 0 });
        using var teacherLoss = teacher.TrainingLoss(_backbone, batch, new Random(1));
        Assert.NotEqual(teacher.ValidationLoss(_backbone, batch), teacherLoss.item<float>(), 4);
    }

    [Fact]
    public void ScheduledSampling_ChoosesAutoregressiveWithTheMixRate()
    {
        using var model = NewModel(new VpModelOptions { MixRate = 0.1 });
        var batch = Batch(1, history: 3, future: 2);
        var random = new Random(5);
        var before = _backbone.Forwards;
        for (var i = 0; i < 200; i++)
        {
            using var loss = model.TrainingLoss(_backbone, batch, random);
        }

        // teacher forcing: 1 forward; autoregressive: 2 (future 2) -> forwards = 200 + autoregressive batches.
        var autoregressive = _backbone.Forwards - before - 200;
        var replay = new Random(5);
        var expected = Enumerable.Range(0, 200).Count(_ => replay.NextDouble() < 0.1);
        Assert.Equal(expected, autoregressive);
        Assert.InRange(autoregressive, 8, 35);
    }

    [Fact]
    public void OriginalSkipOfLayerNormOnAppendedTokens_ChangesOnlyLaterSteps()
    {
        var batch = Batch(2);
        using var fixedModel = NewModel(new VpModelOptions(), seed: 11);
        using var originalModel = NewModel(new VpModelOptions { OriginalSkipLayerNormOnAppended = true }, seed: 12);
        using (no_grad())
        {
            var source = fixedModel.Module.state_dict();
            foreach (var (name, target) in originalModel.Module.state_dict())
            {
                target.copy_(source[name]);
            }
        }

        using var a = fixedModel.Predict(_backbone, batch);
        using var b = originalModel.Predict(_backbone, batch);
        Assert.True((a.select(1, 0) - b.select(1, 0)).abs().max().item<float>() < 1e-4f);
        Assert.True((a.select(1, 5) - b.select(1, 5)).abs().max().item<float>() > 1e-4f);
        using var recomputed = originalModel.PredictRecomputing(_backbone, batch);
        Assert.True((b - recomputed).abs().max().item<float>() < 1e-3f);
    }

    [Fact]
    public void ImageToken_IsPrependedAndRequired()
    {
        using var model = NewModel(new VpModelOptions { UseImageToken = true, ImageFeatureDim = 16 });
        var plain = Batch(2);
        var e = Assert.Throws<ArgumentException>(() => model.Predict(_backbone, plain));
        Assert.Contains("no image feature", e.Message);
        Assert.Contains("synthetic video 1 viewer 0 t=30", e.Message);

        var featureA = Enumerable.Range(0, 16).Select(i => (float)Math.Sin(i)).ToArray();
        var featureB = Enumerable.Range(0, 16).Select(i => (float)Math.Cos(i * 3)).ToArray();
        var withA = plain.Select(s => new ViewportSample(s.Dataset, s.Video, s.Viewer, s.Timestep, s.History, s.Future) { ImageFeature = featureA }).ToList();
        var withB = plain.Select(s => new ViewportSample(s.Dataset, s.Video, s.Viewer, s.Timestep, s.History, s.Future) { ImageFeature = featureB }).ToList();
        var tokens = _backbone.TokensProcessed;
        using var a = model.Predict(_backbone, withA);
        Assert.Equal(1 + 10 + 19, _backbone.TokensProcessed - tokens);
        using var b = model.Predict(_backbone, withB);
        Assert.True((a - b).abs().max().item<float>() > 1e-4f);
        using var recomputed = model.PredictRecomputing(_backbone, withA);
        Assert.True((a - recomputed).abs().max().item<float>() < 1e-3f);

        using var loss = model.TrainingLoss(_backbone, withA, new Random(2));
        loss.backward();
        Assert.True(model.Module.named_parameters().First(p => p.name == "embed_multimodal.weight").parameter.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void MixedWindowsInABatch_AreRejected()
    {
        using var model = NewModel();
        var batch = new List<ViewportSample> { VpData.Synthetic(10, 20, 1), VpData.Synthetic(10, 25, 2) };
        Assert.Contains("future rows", Assert.Throws<ArgumentException>(() => model.Predict(_backbone, batch)).Message);
        var histories = new List<ViewportSample> { VpData.Synthetic(10, 20, 1), VpData.Synthetic(8, 20, 2) };
        Assert.Contains("equal lengths", Assert.Throws<ArgumentException>(() => model.Predict(_backbone, histories)).Message);
    }

    [Fact]
    public void AFewAdamSteps_ReduceTheLoss()
    {
        using var model = NewModel(new VpModelOptions { MixRate = 0 });
        var batch = Batch(4, history: 5, future: 5);
        var parameters = model.Module.parameters().Concat(_backbone.Module.parameters()).ToList();
        using var optimizer = optim.AdamW(parameters, 1e-3);
        var random = new Random(0);
        float first = 0, last = 0;
        for (var step = 0; step < 30; step++)
        {
            optimizer.zero_grad();
            using var loss = model.TrainingLoss(_backbone, batch, random);
            loss.backward();
            optimizer.step();
            if (step == 0)
            {
                first = loss.item<float>();
            }

            last = loss.item<float>();
        }

        Assert.True(last < first * 0.7f, $"loss {first} -> {last}");
    }

    [Fact]
    public void Settings_RoundTrip()
    {
        var options = new VpModelOptions { MixRate = 0.25, UseImageToken = true, ImageFeatureDim = 64, OriginalSkipLayerNormOnAppended = true, FreezeViewportConvolution = true };
        Assert.Equal(options, VpModelOptions.FromSettings(options.ToSettings()));
        Assert.Contains("mix_rate", Assert.Throws<ArgumentException>(() => VpModelOptions.FromSettings(new Dictionary<string, string> { ["mix_rate"] = "2" })).Message);
    }
}
