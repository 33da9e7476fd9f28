using NetLlm.Core.Engine;
using NetLlm.Core.Heads;
using NetLlm.Encoders.Standard;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Model;
using NetLlm.Tasks.ViewportPrediction.Policies;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Model;

/// <summary>The NetLLM viewport model as the engine assembles it from its design (slots, own modules, head).</summary>
public sealed class VpModelTests : IDisposable
{
    private readonly TinyCausalBackbone _backbone = new(hidden: 32, heads: 4);

    public void Dispose() => _backbone.Dispose();

    private static List<ViewportSample> Batch(int count, int history = 10, int future = 20, int seed = 0) =>
        Enumerable.Range(seed, count).Select(i => VpData.Synthetic(history, future, i)).ToList();

    private static List<VpHistory> Inputs(IEnumerable<ViewportSample> samples) => samples.Select(VpHistory.From).ToList();

    private static PredictionTaskModel<ViewportSample, VpHistory, VpPrediction> NewModel(VpModelOptions? options = null, int seed = 3) => VpPlugins.Model(32, options, seed);

    private static VpModel Vp(PredictionTaskModel<ViewportSample, VpHistory, VpPrediction> model) => (VpModel)model.Model;

    private static Tensor Predict(PredictionTaskModel<ViewportSample, VpHistory, VpPrediction> model, TinyCausalBackbone backbone, IEnumerable<ViewportSample> samples) =>
        Vp(model).PredictDegrees(backbone, Inputs(samples));

    [Fact]
    public void Design_HasTheOriginalsSlotsModulesAndHead()
    {
        var design = VpModelDesign.For(new VpModelOptions { ConvChannels = 64 });
        var slot = Assert.Single(design.Encoders);
        Assert.Equal(("vp_encoder", "series", "encoder.series-cnn", false), (slot.Name, slot.Modality, slot.DefaultEncoder, slot.Frozen));
        Assert.Equal([1L, 3L], slot.ItemShape);
        Assert.Equal(new SeriesCnnOptions { Channels = 64, Kernel = 3 }, slot.DefaultOptions);
        var head = Assert.Single(design.Heads);
        Assert.Equal(("networking_head", Abstractions.Models.HeadKind.Bounded, 3), (head.Name, head.Kind, head.Outputs));

        var multimodal = VpModelDesign.For(new VpModelOptions { UseImageToken = true, ImageFeatureDim = 16, ImageSize = 32 });
        Assert.Equal(["vp_encoder", "image"], multimodal.Encoders.Select(e => e.Name));
        var image = multimodal.Encoders[1];
        Assert.Equal(("image", "encoder.vit", 16, true), (image.Modality, image.DefaultEncoder, image.Width, image.Frozen));
        Assert.Equal([3L, 32L, 32L], image.ItemShape);
    }

    [Fact]
    public void Parameters_HaveTheOriginalsNamesShapesAndCreationOrder()
    {
        using var model = NewModel();
        var parameters = model.Module.named_parameters().ToList();
        Assert.Equal(
            ["vp_encoder.conv.weight", "vp_encoder.conv.bias", "vp_encoder.proj.weight", "vp_encoder.proj.bias", "embed_multimodal.weight", "embed_multimodal.bias", "embed_ln.weight", "embed_ln.bias", "networking_head.weight", "networking_head.bias"],
            parameters.Select(p => p.name));
        var shapes = parameters.ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal([256L, 1, 3], shapes["vp_encoder.conv.weight"]);
        Assert.Equal([32L, 256], shapes["vp_encoder.proj.weight"]);
        Assert.Equal([32L, 768], shapes["embed_multimodal.weight"]);
        Assert.Equal([3L, 32], shapes["networking_head.weight"]);
        Assert.All(parameters, p => Assert.True(p.parameter.requires_grad));

        // The same draws as modules created by hand in the original's order (VpModelModules before the slots).
        random.manual_seed(3);
        using var conv = nn.Conv1d(1, 256, 3);
        using var proj = nn.Linear(256, 32);
        using var multimodal = nn.Linear(768, 32);
        using var norm = nn.LayerNorm(32);
        using var head = nn.Linear(32, 3);
        Tensor[] expected = [conv.weight!, conv.bias!, proj.weight!, proj.bias!, multimodal.weight!, multimodal.bias!, norm.weight!, norm.bias!, head.weight!, head.bias!];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].allclose(parameters[i].parameter, rtol: 0, atol: 0), parameters[i].name);
        }
    }

    [Fact]
    public void ViewportSlot_TakesAnotherSeriesEncoder()
    {
        var linear = new EncoderChoice(VpModelDesign.ViewportSlot, LinearSeriesEncoderProvider.EncoderId, []);
        using var model = VpPlugins.Model(32, encoders: [linear]);
        Assert.Equal(["vp_encoder.proj.weight", "vp_encoder.proj.bias"], model.Module.named_parameters().Select(p => p.name).Take(2));
        using var prediction = Predict(model, _backbone, Batch(2));
        Assert.Equal([2L, 20, 3], prediction.shape);
        var e = Assert.Throws<ArgumentException>(() => VpPlugins.Model(32, new VpModelOptions { FreezeViewportConvolution = true }, encoders: [linear]));
        Assert.Contains("--freeze-vp-conv", e.Message);
        var wrong = Assert.Throws<ArgumentException>(() => VpPlugins.Model(32, encoders: [new EncoderChoice(VpModelDesign.ViewportSlot, "encoder.scalar-mlp", [])]));
        Assert.Contains("needs modality 'series'", wrong.Message);
    }

    [Fact]
    public void Predict_WithKvCache_EqualsRecomputingTheWholeSequence()
    {
        using var model = NewModel();
        var batch = Batch(3);
        _backbone.Module.eval();
        var before = _backbone.Forwards;
        using var cached = Predict(model, _backbone, batch);
        Assert.Equal(20, _backbone.Forwards - before);
        using var recomputed = Vp(model).PredictRecomputing(_backbone, Inputs(batch));
        Assert.Equal([3L, 20, 3], cached.shape);
        Assert.True((cached - recomputed).abs().max().item<float>() < 1e-3f);
        Assert.True(cached.abs().max().item<float>() > 0.01f);
        var predictions = model.Predict(_backbone, Inputs(batch));
        Assert.Equal(cached.data<float>().ToArray().AsSpan(20 * 3, 60).ToArray(), predictions[1].Angles);
    }

    [Fact]
    public void Predict_ProcessesEachTokenOnce()
    {
        using var model = NewModel();
        var tokensBefore = _backbone.TokensProcessed;
        using var prediction = Predict(model, _backbone, Batch(2));
        Assert.Equal(10 + 19, _backbone.TokensProcessed - tokensBefore);
    }

    [Fact]
    public void Predictions_AreValidOrientations_ThanksToTheBoundedHead()
    {
        using var model = NewModel();
        Assert.IsType<LinearHead>(model.Module.named_children().First(c => c.name == "networking_head").module);
        using var prediction = Predict(model, _backbone, Batch(4));
        using var absolute = prediction.abs();
        Assert.True(absolute.select(2, 0).max().item<float>() <= 180f);
        Assert.True(absolute.select(2, 1).max().item<float>() <= 90f);
        Assert.True(absolute.select(2, 2).max().item<float>() <= 180f);
    }

    [Fact]
    public void TeacherForcingLoss_IsMseOfHeadOverFuturePositions_AndTrainsTheConvolution()
    {
        using var model = NewModel(new VpModelOptions { MixRate = 0 });
        using var loss = Vp(model).TrainingLoss(_backbone, Batch(2), new Random(1));
        Assert.Empty(loss.shape);
        Assert.True(loss.item<float>() > 0);
        loss.backward();
        var grads = model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        Assert.True(grads["vp_encoder.conv.weight"]!.abs().sum().item<float>() > 0);
        Assert.True(grads["networking_head.weight"]!.abs().sum().item<float>() > 0);
        Assert.Null(grads["embed_multimodal.weight"]);
    }

    [Fact]
    public void ResidualHead_UntrainedPredictsTheLastObservedOrientation_AndTrainsTheHead()
    {
        using var model = NewModel(new VpModelOptions { ResidualHead = true, MixRate = 0 });
        var batch = Batch(3);
        using var prediction = Predict(model, _backbone, batch);

        // Persistence: every future step repeats the last history row (degrees), whatever the backbone says.
        for (var i = 0; i < batch.Count; i++)
        {
            var last = batch[i].History.AsSpan(batch[i].History.Length - 3, 3).ToArray();
            using var sample = prediction[i];
            var values = sample.data<float>().ToArray();
            for (var step = 0; step < 20; step++)
            {
                Assert.Equal(last, values.AsSpan(step * 3, 3).ToArray(), (a, b) => Math.Abs(a - b) < 1e-4f);
            }
        }

        using var loss = Vp(model).TrainingLoss(_backbone, batch, new Random(1));
        loss.backward();
        Assert.True(model.Module.named_parameters().First(p => p.name == "networking_head.weight").parameter.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void ResidualScale_MultipliesTheHeadsDisplacement()
    {
        // A head whose bias answers atanh(0.5) on every axis: tanh gives 0.5 normalised units, times the scale.
        using var model = NewModel(new VpModelOptions { ResidualHead = true, ResidualScale = 0.01, MixRate = 0 });
        using (no_grad())
        {
            model.Module.named_parameters().First(p => p.name == "networking_head.bias").parameter.fill_(Math.Atanh(0.5));
        }

        var batch = Batch(1);
        using var prediction = Predict(model, _backbone, batch);
        var last = batch[0].History.AsSpan(batch[0].History.Length - 3, 3).ToArray();
        using var first = prediction[0];
        var values = first.data<float>().ToArray();
        float[] scales = [180f, 90f, 180f];
        for (var axis = 0; axis < 3; axis++)
        {
            // Step 0 is one displacement from the last observed row: 0.01 × 0.5 normalised units.
            Assert.Equal(last[axis] + (0.005f * scales[axis]), values[axis], 3);
        }
    }

    [Fact]
    public void AngularLosses_WrapATurnAcrossTheYawSeam_ThePlainLossDoesNot()
    {
        using var plain = NewModel(new VpModelOptions { MixRate = 0 });
        using var angular = NewModel(new VpModelOptions { MixRate = 0, Loss = VpLoss.AngularMse });
        using var metric = NewModel(new VpModelOptions { MixRate = 0, Loss = VpLoss.AngularMae });

        // Yaw 179° predicted, -179° true: 2° apart on the circle, 358° apart as numbers; roll off by 9°, pitch exact.
        using var prediction = tensor(new[] { 9f / 180, 0f, 179f / 180 }).reshape(1, 1, 3);
        using var truth = tensor(new[] { 0f, 0f, -179f / 180 }).reshape(1, 1, 3);
        using var plainLoss = Vp(plain).Loss(prediction, truth);
        using var angularLoss = Vp(angular).Loss(prediction, truth);

        var roll = MathF.Pow(9f / 180, 2);
        Assert.Equal((roll + MathF.Pow(358f / 180, 2)) / 3, plainLoss.item<float>(), 5);
        Assert.Equal((roll + MathF.Pow(2f / 180, 2)) / 3, angularLoss.item<float>(), 5);
        using var metricLoss = Vp(metric).Loss(prediction, truth);
        Assert.Equal((9f + 0f + 2f) / 3, metricLoss.item<float>(), 4);

        // Away from the seam the two losses agree, and the wrapped one passes gradients like the plain one.
        using var near = tensor(new[] { 0.1f, -0.2f, 0.3f }).reshape(1, 1, 3).requires_grad_();
        using var target = tensor(new[] { 0.05f, -0.1f, 0.25f }).reshape(1, 1, 3);
        using var a = Vp(angular).Loss(near, target);
        using var b = Vp(plain).Loss(near, target);
        Assert.Equal(b.item<float>(), a.item<float>(), 5);
        a.backward();
        using var grad = near.grad!.clone();
        near.grad!.zero_();
        b.backward();
        Assert.True(grad.allclose(near.grad!, rtol: 1e-4, atol: 1e-6));
    }

    [Fact]
    public void ResidualScale_WithoutTheResidualHead_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => VpModelDesign.For(new VpModelOptions { ResidualScale = 0.5 }));
        Assert.Contains("--residual-scale", error.Message);
        Assert.Contains("--residual-head", error.Message);
    }

    [Fact]
    public void FrozenConvolution_IsTheOriginalsBehaviour()
    {
        using var model = NewModel(new VpModelOptions { FreezeViewportConvolution = true, MixRate = 0 });
        var trainable = model.Module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.DoesNotContain("vp_encoder.conv.weight", trainable);
        Assert.Contains("vp_encoder.proj.weight", trainable);
        using var loss = Vp(model).TrainingLoss(_backbone, Batch(1), new Random(1));
        loss.backward();
        Assert.True(model.Module.named_parameters().First(p => p.name == "vp_encoder.proj.weight").parameter.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void ScheduledSampling_MixRateOne_TrainsOnTheAutoregressivePrediction()
    {
        using var model = NewModel(new VpModelOptions { MixRate = 1 });
        var batch = Batch(2);
        using var loss = Vp(model).TrainingLoss(_backbone, batch, new Random(1));
        var validation = Vp(model).ValidationLoss(_backbone, batch);
        Assert.Equal(validation, loss.item<float>(), 4);
        loss.backward();
        Assert.True(model.Module.named_parameters().First(p => p.name == "vp_encoder.conv.weight").parameter.grad!.abs().sum().item<float>() > 0);

        using var teacher = NewModel(new VpModelOptions { MixRate = 0 });
        using var teacherLoss = Vp(teacher).TrainingLoss(_backbone, batch, new Random(1));
        Assert.NotEqual(Vp(teacher).ValidationLoss(_backbone, batch), teacherLoss.item<float>(), 4);
    }

    [Fact]
    public void Augment_TurnsHistoryAndFutureAlike_AndIsRefusedWithTheImageToken()
    {
        var batch = Batch(4);
        float Loss(VpAugmentation augment, bool residual)
        {
            using var model = NewModel(new VpModelOptions { MixRate = 1, ResidualHead = residual, Loss = VpLoss.AngularMae, Augment = augment });
            using var loss = Vp(model).TrainingLoss(_backbone, batch, new Random(1));
            return loss.item<float>();
        }

        // An untrained residual head is persistence, whose wrapped error is the same when history and future turn together.
        var persistence = Loss(VpAugmentation.None, residual: true);
        Assert.True(persistence > 0.1f);
        Assert.Equal(persistence, Loss(VpAugmentation.YawRotation, residual: true), 3);
        Assert.Equal(persistence, Loss(VpAugmentation.YawRotationMirror, residual: true), 3);

        // A head that answers absolute orientations sees other windows.
        var absolute = Loss(VpAugmentation.None, residual: false);
        Assert.True(Math.Abs(absolute - Loss(VpAugmentation.YawRotation, residual: false)) > 0.01f);

        var error = Assert.Throws<ArgumentException>(() => VpPlugins.Model(32, new VpModelOptions { UseImageToken = true, ImageFeatureDim = 16, ImageSize = 16, Augment = VpAugmentation.YawRotation }, encoders: [VpPlugins.TinyVit()]));
        Assert.Contains("--augment", error.Message, StringComparison.Ordinal);
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
            using var loss = Vp(model).TrainingLoss(_backbone, batch, random);
        }

        // teacher forcing: 1 forward; autoregressive: 2 (future 2) -> forwards = 200 + autoregressive batches.
        var autoregressive = _backbone.Forwards - before - 200;
        var replay = new Random(5);
        Assert.Equal(Enumerable.Range(0, 200).Count(_ => replay.NextDouble() < 0.1), autoregressive);
        Assert.InRange(autoregressive, 8, 35);
    }

    [Fact]
    public void OriginalSkipOfLayerNormOnAppendedTokens_ChangesOnlyLaterSteps()
    {
        var batch = Batch(2);
        using var fixedModel = NewModel(new VpModelOptions(), seed: 11);
        using var originalModel = NewModel(new VpModelOptions { OriginalSkipLayerNormOnAppended = true }, seed: 11);
        using var a = Predict(fixedModel, _backbone, batch);
        using var b = Predict(originalModel, _backbone, batch);
        Assert.True((a.select(1, 0) - b.select(1, 0)).abs().max().item<float>() < 1e-4f);
        Assert.True((a.select(1, 5) - b.select(1, 5)).abs().max().item<float>() > 1e-4f);
        using var recomputed = Vp(originalModel).PredictRecomputing(_backbone, Inputs(batch));
        Assert.True((b - recomputed).abs().max().item<float>() < 1e-3f);
    }

    [Fact]
    public void ImageToken_FromPrecomputedFeatures_IsPrependedAndRequired()
    {
        using var model = VpPlugins.Model(32, new VpModelOptions { UseImageToken = true, ImageFeatureDim = 16, ImageSize = 16 }, encoders: [VpPlugins.TinyVit()]);
        var plain = Batch(2);
        var e = Assert.Throws<ArgumentException>(() => Predict(model, _backbone, plain));
        Assert.Contains("synthetic video 1 viewer 0 t=30 has no image", e.Message);

        var featureA = Enumerable.Range(0, 16).Select(i => (float)Math.Sin(i)).ToArray();
        var featureB = Enumerable.Range(0, 16).Select(i => (float)Math.Cos(i * 3)).ToArray();
        var withA = plain.Select(s => s.WithImage(VpImage.FromFeature("a", "test", featureA))).ToList();
        var withB = plain.Select(s => s.WithImage(VpImage.FromFeature("b", "test", featureB))).ToList();
        var tokens = _backbone.TokensProcessed;
        using var a = Predict(model, _backbone, withA);
        Assert.Equal(1 + 10 + 19, _backbone.TokensProcessed - tokens);
        Assert.Equal(0, Vp(model).EncodedFrames);
        using var b = Predict(model, _backbone, withB);
        Assert.True((a - b).abs().max().item<float>() > 1e-4f);
        using var recomputed = Vp(model).PredictRecomputing(_backbone, Inputs(withA));
        Assert.True((a - recomputed).abs().max().item<float>() < 1e-3f);

        using var loss = Vp(model).TrainingLoss(_backbone, withA, new Random(2));
        loss.backward();
        Assert.True(model.Module.named_parameters().First(p => p.name == "embed_multimodal.weight").parameter.grad!.abs().sum().item<float>() > 0);
        Assert.All(model.Module.named_parameters().Where(p => p.name.StartsWith("image.", StringComparison.Ordinal)), p => Assert.False(p.parameter.requires_grad));

        var narrow = plain.Select(s => s.WithImage(VpImage.FromFeature("c", "narrow.safetensors", new float[8]))).ToList();
        Assert.Contains("width 8 from narrow.safetensors, expected 16", Assert.Throws<ArgumentException>(() => Predict(model, _backbone, narrow)).Message);
    }

    [Fact]
    public void MixedWindowsInABatch_AreRejected()
    {
        using var model = NewModel();
        var batch = new List<ViewportSample> { VpData.Synthetic(10, 20, 1), VpData.Synthetic(10, 25, 2) };
        Assert.Contains("future rows", Assert.Throws<ArgumentException>(() => Predict(model, _backbone, batch)).Message);
        var histories = new List<ViewportSample> { VpData.Synthetic(10, 20, 1), VpData.Synthetic(8, 20, 2) };
        Assert.Contains("equal lengths", Assert.Throws<ArgumentException>(() => Predict(model, _backbone, histories)).Message);
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
            using var loss = Vp(model).TrainingLoss(_backbone, batch, random);
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
}
