using NetLlm.Abstractions.Encoders;
using NetLlm.Core.IO;
using NetLlm.Encoders.Vision;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Model;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using NetLlm.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Encoders.Vision.Tests;

public sealed class VitImageEncoderTests : IDisposable
{
    private static readonly VitConfig Tiny = new()
    {
        HiddenSize = 16,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        IntermediateSize = 32,
        ImageSize = 32,
        PatchSize = 8,
        NumChannels = 3,
    };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Writes a Hugging Face ViTForImageClassification-style folder for <paramref name="model"/>.</summary>
    private string Save(VitImageEncoder model, VitConfig config, string name, Func<string, bool>? keep = null, bool prefix = true)
    {
        var directory = Path.Combine(_temp.Path, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJson());
        var tensors = model.state_dict()
            .Where(kv => keep?.Invoke(kv.Key) ?? true)
            .ToDictionary(kv => (prefix ? "vit." : string.Empty) + kv.Key, kv => kv.Value);
        using var classifier = zeros(10, config.HiddenSize);
        using var pooler = zeros(config.HiddenSize, config.HiddenSize);
        tensors["classifier.weight"] = classifier;
        tensors[(prefix ? "vit." : string.Empty) + "pooler.dense.weight"] = pooler;
        SafetensorsWriter.Write(Path.Combine(directory, "model.safetensors"), tensors);
        return directory;
    }

    [Fact]
    public void FromPretrained_ReproducesTheSavedModel_Frozen()
    {
        random.manual_seed(1);
        using var source = new VitImageEncoder(Tiny);
        var directory = Save(source, Tiny, "tiny");
        using var loaded = VitImageEncoder.FromPretrained(directory);
        Assert.Contains("embeddings.patch_embeddings.projection.weight", loaded.state_dict().Keys);
        Assert.Contains("encoder.layer.1.attention.attention.query.weight", loaded.state_dict().Keys);
        Assert.Contains("encoder.layer.0.attention.output.dense.weight", loaded.state_dict().Keys);
        Assert.Contains("encoder.layer.0.intermediate.dense.weight", loaded.state_dict().Keys);
        Assert.Contains("layernorm.weight", loaded.state_dict().Keys);
        Assert.All(loaded.parameters(), p => Assert.False(p.requires_grad));

        using var images = rand(2, 3, 32, 32);
        using var expected = source.Encode(images);
        using var actual = loaded.Encode(images);
        Assert.Equal(new long[] { 2, 1, 16 }, actual.shape);
        Assert.False(actual.requires_grad);
        Assert.True((expected - actual).abs().max().item<float>() < 1e-6f);
        using var other = images.flip(3);
        using var different = loaded.Encode(other);
        Assert.True((different - actual).abs().max().item<float>() > 1e-4f);

        var unprefixed = Save(source, Tiny, "plain", prefix: false);
        using var plain = VitImageEncoder.FromPretrained(unprefixed);
        using var plainOut = plain.Encode(images);
        Assert.True((plainOut - actual).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void WithoutLayers_TheClsFeatureIsTheLayerNormOfClsPlusFirstPosition()
    {
        var config = Tiny with { NumHiddenLayers = 0 };
        random.manual_seed(2);
        using var encoder = new VitImageEncoder(config);
        var state = encoder.state_dict();
        using var images = rand(3, 3, 32, 32);
        using var feature = encoder.Encode(images);
        using var x = state["embeddings.cls_token"][0, 0] + state["embeddings.position_embeddings"][0, 0];
        var mean = x.mean().item<float>();
        var variance = (x - mean).pow(2).mean().item<float>();
        using var expected = ((x - mean) / MathF.Sqrt(variance + 1e-12f) * state["layernorm.weight"]) + state["layernorm.bias"];
        for (var b = 0; b < 3; b++)
        {
            Assert.True((feature[b, 0] - expected).abs().max().item<float>() < 1e-4f);
        }
    }

    [Fact]
    public void MissingOrMisShapedTensors_AreNamed()
    {
        random.manual_seed(3);
        using var source = new VitImageEncoder(Tiny);
        var missing = Save(source, Tiny, "missing", keep: k => k != "encoder.layer.1.output.dense.bias");
        var e = Assert.Throws<InvalidDataException>(() => VitImageEncoder.FromPretrained(missing));
        Assert.Contains(Path.Combine(missing, "model.safetensors"), e.Message);
        Assert.Contains("vit.encoder.layer.1.output.dense.bias", e.Message);

        var wrong = Save(source, Tiny with { PatchSize = 4 }, "wrong");
        var shape = Assert.Throws<InvalidDataException>(() => VitImageEncoder.FromPretrained(wrong));
        Assert.Contains("has shape", shape.Message);

        var bad = Path.Combine(_temp.Path, "bad");
        Directory.CreateDirectory(bad);
        File.WriteAllText(Path.Combine(bad, "config.json"), "{\"model_type\": \"bert\"}");
        Assert.Contains("model_type 'bert'", Assert.Throws<InvalidDataException>(() => VitImageEncoder.FromPretrained(bad)).Message);
    }

    [Fact]
    public void Provider_CreatesFrozenEncodersOfTheGivenShape()
    {
        var provider = new VitEncoderProvider();
        Assert.Equal("encoder.vit", provider.Id);
        var encoder = (VitImageEncoder)provider.Create(new EncoderSpec(16, new Dictionary<string, double> { ["layers"] = 1, ["heads"] = 2, ["intermediate"] = 8, ["image_size"] = 16, ["patch_size"] = 4 }));
        using (encoder)
        {
            Assert.Equal((16, 1, 1), (encoder.EmbeddingDim, encoder.TokensPerItem, encoder.Config.NumHiddenLayers));
            Assert.Equal(16 + 1, encoder.state_dict()["embeddings.position_embeddings"].shape[1]);
            using var images = rand(1, 3, 16, 16);
            using var feature = encoder.Encode(images);
            Assert.Equal(new long[] { 1, 1, 16 }, feature.shape);
            using var wrong = rand(1, 3, 20, 20);
            Assert.Contains("[batch, 3, 16, 16]", Assert.Throws<ArgumentException>(() => encoder.Encode(wrong)).Message);
            using var resized = encoder.Resize(wrong);
            Assert.Equal(new long[] { 1, 3, 16, 16 }, resized.shape);
        }

        Assert.Contains("multiple of num_attention_heads", Assert.Throws<ArgumentException>(() => provider.Create(new EncoderSpec(10, new Dictionary<string, double> { ["heads"] = 4 }))).Message);
    }

    [Fact]
    public void VitBase16Shapes_MatchHuggingFace()
    {
        // One layer of the ViT-B/16 width (the full model, 85,798,656 parameters without the pooler, takes long to
        // initialise): embeddings 768 + 197 x 768 + (768 x 3 x 16 x 16 + 768), a layer 7,087,872, the final norm 1,536.
        using var encoder = new VitImageEncoder(new VitConfig { NumHiddenLayers = 1 });
        Assert.Equal(7_832_064L, encoder.parameters().Sum(p => p.numel()));
        Assert.Equal(new long[] { 1, 197, 768 }, encoder.state_dict()["embeddings.position_embeddings"].shape);
        Assert.Equal(new long[] { 768, 3, 16, 16 }, encoder.state_dict()["embeddings.patch_embeddings.projection.weight"].shape);
        Assert.Equal(new long[] { 3072, 768 }, encoder.state_dict()["encoder.layer.0.intermediate.dense.weight"].shape);
        Assert.Equal((768, 12, 3072, 224, 16), (encoder.EmbeddingDim, new VitConfig().NumHiddenLayers, new VitConfig().IntermediateSize, new VitConfig().ImageSize, new VitConfig().PatchSize));
    }

    [Fact]
    public void ClsFeature_FeedsTheVpModelsImageToken()
    {
        random.manual_seed(4);
        using var vit = new VitImageEncoder(Tiny);
        using var images = rand(2, 3, 32, 32);
        using var features = vit.Encode(images);
        var perSample = Enumerable.Range(0, 2).Select(i => features[i, 0].data<float>().ToArray()).ToList();
        var samples = Enumerable.Range(0, 2)
            .Select(i => VpData.Synthetic(10, 5, i))
            .Select((s, i) => new ViewportSample(s.Dataset, s.Video, s.Viewer, s.Timestep, s.History, s.Future) { ImageFeature = perSample[i] })
            .ToList();
        using var backbone = new TinyCausalBackbone(hidden: 32, heads: 4);
        using var model = new VpModel(32, new VpModelOptions { UseImageToken = true, ImageFeatureDim = 16 });
        using var prediction = model.Predict(backbone, samples);
        Assert.Equal(new long[] { 2, 5, 3 }, prediction.shape);
        Assert.Equal(new long[] { 32, 16 }, model.Module.named_parameters().First(p => p.name == "embed_multimodal.weight").parameter.shape);
    }
}
