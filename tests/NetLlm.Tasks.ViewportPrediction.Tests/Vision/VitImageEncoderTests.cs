using NetLlm.Abstractions.Encoders;
using NetLlm.Core.IO;
using NetLlm.Encoders.Vision;
using NetLlm.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Vision;

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
    public void Provider_CreatesFrozenEncodersOfTheSlotsShape()
    {
        var provider = new VitEncoderProvider();
        Assert.Equal(("encoder.vit", "image", typeof(VitOptions)), (provider.Id, provider.Modality, ((IEncoderProvider)provider).OptionsType));
        var options = new VitOptions { Layers = 1, Heads = 2, Intermediate = 8, PatchSize = 4 };
        var encoder = (VitImageEncoder)provider.Create(new EncoderContext(16, [3, 16, 16], null), options);
        using (encoder)
        {
            Assert.Equal((16, 1, 1, 16), (encoder.EmbeddingDim, encoder.TokensPerItem, encoder.Config.NumHiddenLayers, encoder.Config.ImageSize));
            Assert.Equal(16 + 1, encoder.state_dict()["embeddings.position_embeddings"].shape[1]);
            Assert.All(encoder.parameters(), p => Assert.False(p.requires_grad));
            using var images = rand(1, 3, 16, 16);
            using var feature = encoder.Encode(images);
            Assert.Equal([1L, 1, 16], feature.shape);
            using var wrong = rand(1, 3, 20, 20);
            Assert.Contains("[batch, 3, 16, 16]", Assert.Throws<ArgumentException>(() => encoder.Encode(wrong)).Message);
            using var resized = encoder.Resize(wrong);
            Assert.Equal([1L, 3, 16, 16], resized.shape);
        }

        Assert.Contains("multiple of num_attention_heads", Assert.Throws<ArgumentException>(() => provider.Create(new EncoderContext(10, [3, 16, 16], null), options with { Heads = 4 })).Message);
        Assert.Contains("square images", Assert.Throws<ArgumentException>(() => provider.Create(new EncoderContext(16, [3, 16, 8], null), options)).Message);
        Assert.Contains("multiple of patch_size", Assert.Throws<ArgumentException>(() => provider.Create(new EncoderContext(16, [3, 18, 18], null), options)).Message);
    }

    [Fact]
    public void Provider_SeedsItsOwnInitialisation_WithoutDisturbingTheGlobalStream()
    {
        var provider = new VitEncoderProvider();
        var options = new VitOptions { Layers = 1, Heads = 2, Intermediate = 8, PatchSize = 8, Seed = 7 };
        random.manual_seed(5);
        using var expected = rand(4);
        random.manual_seed(5);
        using var a = (VitImageEncoder)provider.Create(new EncoderContext(16, [3, 16, 16], null), options);
        using var after = rand(4);
        Assert.True(expected.allclose(after, rtol: 0, atol: 0));
        random.manual_seed(99);
        using var b = (VitImageEncoder)provider.Create(new EncoderContext(16, [3, 16, 16], null), options);
        using var c = (VitImageEncoder)provider.Create(new EncoderContext(16, [3, 16, 16], null), options with { Seed = 8 });
        var name = "encoder.layer.0.attention.attention.query.weight";
        Assert.True(a.state_dict()[name].allclose(b.state_dict()[name], rtol: 0, atol: 0));
        Assert.False(a.state_dict()[name].allclose(c.state_dict()[name], rtol: 0, atol: 0));
    }

    [Fact]
    public void Provider_LoadsAPretrainedFolder_AndChecksItAgainstTheSlot()
    {
        random.manual_seed(1);
        using var source = new VitImageEncoder(Tiny);
        var directory = Save(source, Tiny, "tiny");
        var provider = new VitEncoderProvider();
        using var loaded = (VitImageEncoder)provider.Create(new EncoderContext(16, [3, 32, 32], null), new VitOptions { Model = directory });
        using var images = rand(2, 3, 32, 32);
        using var expected = source.Encode(images);
        using var actual = loaded.Encode(images);
        Assert.True((expected - actual).abs().max().item<float>() < 1e-6f);
        var relative = Path.GetFileName(directory);
        using var underRoot = (VitImageEncoder)provider.Create(new EncoderContext(16, [3, 32, 32], _temp.Path), new VitOptions { Model = relative });
        Assert.Equal(16, underRoot.EmbeddingDim);
        var e = Assert.Throws<ArgumentException>(() => provider.Create(new EncoderContext(32, [3, 32, 32], null), new VitOptions { Model = directory }));
        Assert.Contains("width 16 over [3, 32, 32] images; the slot needs width 32", e.Message);
        Assert.Contains("option --model", Assert.Throws<FileNotFoundException>(() => provider.Create(new EncoderContext(16, [3, 32, 32], _temp.Path), new VitOptions { Model = "no/such/vit" })).Message);
        var noRoot = Assert.Throws<ArgumentException>(() => provider.Create(new EncoderContext(16, [3, 32, 32], null), new VitOptions { Model = "no/such/vit" }));
        Assert.Contains("option --model", noRoot.Message);
        Assert.Contains("data root", noRoot.Message);
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
}
