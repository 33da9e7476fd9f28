using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Core.IO;
using NetLlm.Encoders.Vision;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Model;
using NetLlm.Tasks.ViewportPrediction.Options;
using NetLlm.Tasks.ViewportPrediction.Policies;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using NetLlm.Testing;
using static NetLlm.Tasks.ViewportPrediction.Tests.Support.VpPlugins;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Vision;

/// <summary>
/// The image token through the <c>image</c> slot with a tiny ViT (16 × 16 frames, width 16, one layer): frames are
/// encoded by the slot's frozen encoder once per frame, and precomputed features of the same encoder replace them.
/// </summary>
public sealed class VpImagePathTests : IDisposable
{
    private static readonly VpModelOptions ImageModel = new() { UseImageToken = true, ImageFeatureDim = 16, ImageSize = 16 };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static VpImage Frame(string key, int seed)
    {
        var random = new Random(seed);
        return VpImage.FromPixels(key, "test", Enumerable.Range(0, 3 * 16 * 16).Select(_ => (float)random.NextDouble()).ToArray(), [3, 16, 16]);
    }

    private static IModalityEncoder<Tensor> ImageEncoder(PredictionTaskModel<ViewportSample, VpHistory, VpPrediction> model) =>
        (IModalityEncoder<Tensor>)model.Encoders.Single(e => e.Slot.Name == VpModelDesign.ImageSlot).Encoder;

    private static float[] Feature(IModalityEncoder<Tensor> encoder, VpImage frame)
    {
        using var pixels = tensor(frame.Pixels!, [1, 3, 16, 16]);
        using var output = encoder.Encode(pixels);
        return output.data<float>().ToArray();
    }

    [Fact]
    public void Frames_AreEncodedOncePerFrame_AndPrecomputedFeaturesOfTheSameEncoderGiveTheSamePredictions()
    {
        using var backbone = new TinyCausalBackbone(hidden: 32, heads: 4);
        using var model = VpPlugins.Model(32, ImageModel, encoders: [TinyVit()]);
        Assert.All(model.Module.named_parameters().Where(p => p.name.StartsWith("image.", StringComparison.Ordinal)), p => Assert.False(p.parameter.requires_grad));
        var vp = (VpModel)model.Model;
        VpImage[] frames = [Frame("video 1 frame 174", 1), Frame("video 1 frame 264", 2)];
        var samples = Enumerable.Range(0, 4).Select(i => VpData.Synthetic(10, 5, i).WithImage(frames[i % 2])).ToList();
        var inputs = samples.Select(VpHistory.From).ToList();
        using var fromFrames = vp.PredictDegrees(backbone, inputs);
        Assert.Equal(2, vp.EncodedFrames);
        using var again = vp.PredictDegrees(backbone, inputs);
        Assert.Equal(2, vp.EncodedFrames);
        Assert.True(fromFrames.allclose(again, rtol: 0, atol: 0));

        var encoder = ImageEncoder(model);
        var cached = samples.Select((s, i) => VpHistory.From(s.WithImage(VpImage.FromFeature($"feature {i % 2}", "features", Feature(encoder, frames[i % 2]))))).ToList();
        using var fromFeatures = vp.PredictDegrees(backbone, cached);
        Assert.True(fromFrames.allclose(fromFeatures, rtol: 0, atol: 1e-4), "features of the same encoder give the frames' predictions");
        Assert.Equal(2, vp.EncodedFrames);

        using var loss = vp.TrainingLoss(backbone, samples, new Random(1));
        loss.backward();
        Assert.True(model.Module.named_parameters().First(p => p.name == "embed_multimodal.weight").parameter.grad!.abs().sum().item<float>() > 0);

        var large = VpImage.FromPixels("large", "big.safetensors", new float[3 * 32 * 32], [3, 32, 32]);
        var e = Assert.Throws<ArgumentException>(() => vp.PredictDegrees(backbone, [VpHistory.From(samples[0].WithImage(large))]));
        Assert.Contains("big.safetensors has frames of shape [3, 32, 32]; the image encoder takes [3, 16, 16] (--image-size)", e.Message);
    }

    [Fact]
    public void ImageSlot_IsCreatedWithoutChangingTheOtherParametersDraws()
    {
        using var plain = VpPlugins.Model(32, ImageModel with { UseImageToken = false });
        using var multimodal = VpPlugins.Model(32, ImageModel, encoders: [TinyVit()]);
        var expected = plain.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var names = multimodal.Module.named_parameters().Select(p => p.name).Where(n => !n.StartsWith("image.", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Keys, names);
        foreach (var (name, parameter) in multimodal.Module.named_parameters().Where(p => expected.ContainsKey(p.name)))
        {
            Assert.True(expected[name].allclose(parameter, rtol: 0, atol: 0), name);
        }
    }

    [Fact]
    public void Adapt_OnFrames_RecordsTheImageEncoder_AndTestsOnFramesOrOnItsPrecomputedFeatures()
    {
        var framesFolder = Path.Combine(_temp.Path, "frames");
        var featuresFolder = Path.Combine(_temp.Path, "features");
        Directory.CreateDirectory(framesFolder);
        Directory.CreateDirectory(featuresFolder);
        var data = new VpOptions { Videos = [1], Viewers = [50] };
        var needed = VpPlugins.Task.Load(data, DataSplit.Train, new TaskContext { DataRoot = VpData.DataRoot }).Samples
            .Select(s => ViewportImages.FrameOf(ViewportDatasetCatalog.Jin2022, s.Video, s.Timestep)).Distinct().ToArray();
        manual_seed(11);
        using var frames = randint(0, 256, [needed.Length, 3, 16, 16], dtype: ScalarType.Byte);
        using var numbers = tensor(needed.Select(f => (long)f).ToArray());
        SafetensorsWriter.Write(Path.Combine(framesFolder, "video1.safetensors"), new Dictionary<string, Tensor> { ["frames"] = frames, ["frame_numbers"] = numbers });

        // The cache the frozen encoder's outputs make: the same tiny ViT (same options, same seed) over the frames.
        var vit = (IModalityEncoder<Tensor>)new VitEncoderProvider().Create(new EncoderContext(16, [3, 16, 16], null), new VitOptions { Layers = 1, Heads = 2, Intermediate = 32, PatchSize = 8 });
        using (vit.Module)
        {
            using var pixels = frames.to_type(ScalarType.Float32).div(255f);
            using var features = vit.Encode(pixels).squeeze(1);
            SafetensorsWriter.Write(Path.Combine(featuresFolder, "video1.safetensors"), new Dictionary<string, Tensor> { ["features"] = features, ["frame_numbers"] = numbers });
        }

        var run = Path.Combine(_temp.Path, "run");
        var adapt = TaskEngine.Run(Request(TaskVerb.Adapt, [], options: [In("videos", "1"), In("viewers", "50"), In("valid-samples", 4), In("frames", framesFolder)], seed: 3) with
        {
            Adaptation = new AdaptationOptions { BackbonePreset = "llama-tiny-2x256", Rank = 4, Epochs = 1, BatchSize = 8, WarmupSteps = 0, LearningRate = 1e-3 },
            ModelOptions = [In("image-token", true), In("image-feature-dim", 16), In("image-size", 16)],
            Encoders = [TinyVit()],
            Output = run,
        });
        Assert.Equal("completed", (string)adapt.Runs[0].Details!["status"]!);
        var manifest = new RunDirectory(run).ReadManifest();
        var image = manifest["model"]!["encoders"]!["image"]!;
        Assert.Equal(("encoder.vit", "image", 1, 8), ((string)image["id"]!, (string)image["modality"]!, (int)image["options"]!["layers"]!, (int)image["options"]!["patch-size"]!));
        Assert.Equal(framesFolder, (string)manifest["data"]!["train"]!["frames"]!);

        var onFrames = TaskEngine.Run(Request(TaskVerb.Test, [run], options: [In("videos", "1"), In("viewers", "50"), In("split", "train"), In("frames", framesFolder)]));
        var onFeatures = TaskEngine.Run(Request(TaskVerb.Test, [run], options: [In("videos", "1"), In("viewers", "50"), In("split", "train"), In("image-features", featuresFolder)]));
        Assert.Equal(14, onFrames.Runs[0].Score!.Items.Count);
        Assert.Equal(onFrames.Runs[0].Metric!.Value, onFeatures.Runs[0].Metric!.Value, 4);
        var withoutImages = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, [run], options: [In("videos", "1"), In("viewers", "50"), In("split", "train")])));
        Assert.Contains("has no image (give --image-features or --frames)", withoutImages.Message);
    }
}
