using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Encoders;
using NetLlm.Backbones.Llava;
using NetLlm.Core.IO;
using NetLlm.Core.Plugins;
using NetLlm.Testing;
using NetLlm.Transformers.Checkpoints;
using NetLlm.Transformers.Modeling;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>
/// LLaVa key mapping: the Llama golden fixture re-laid into the llava-hf layout plus a small random CLIP tower and
/// projector (written under Hugging Face names by this test) loads strictly, the language model reproduces the Llama
/// fixture, and the image features equal an independent float64 CLIP + projector computation.
/// </summary>
public sealed class LlavaTests(ITestOutputHelper output)
{
    private const int VisionWidth = 32;
    private const int VisionLayers = 2;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RelaidLlamaFixture_LanguageModelReproducesLlamaAndVisionMatchesReference(bool newLayout)
    {
        using var tmp = new TempDirectory();
        using var fx = GoldenFixture.Open("llama");
        var tensors = BuildCheckpoint(fx, newLayout);
        File.WriteAllText(tmp.File("config.json"), Config(fx).ToJsonString());
        SafetensorsWriter.Write(tmp.File("model.safetensors"), tensors);

        using var backbone = (LlavaBackbone)new LlavaProvider().FromPretrained(tmp.Path, new BackboneLoadOptions());
        Assert.Equal(("llava", "LlavaForConditionalGeneration", 64), (backbone.Info.Family, backbone.Info.Architecture, backbone.HiddenSize));
        var errors = GoldenCheck.Run(backbone, fx, 1e-4, 1e-4);
        output.WriteLine($"llava language model vs llama fixture: max abs error {errors.Max(e => e.Error):G3}");

        using var gen = new Generator(7);
        using var pixels = randn([2, 3, 28, 28], generator: gen);
        using var features = backbone.Model.ImageFeatures(pixels);
        Assert.Equal(new long[] { 2, 4, 64 }, features.shape);
        using var reference = Reference(tensors, pixels, newLayout);
        var err = Tolerance.AssertClose(features, reference, null, 1e-5, 1e-5, "image features");
        output.WriteLine($"llava image features vs float64 reference: max abs error {err:G3}");

        var encoder = backbone.ImageEncoder;
        Assert.Equal(("image", 64, 4), (encoder.Modality, encoder.EmbeddingDim, encoder.TokensPerItem));
        using var encoded = encoder.Encode(pixels);
        Assert.True(encoded.allclose(features, 0, 0), "the backbone's image encoder shares the loaded tower");
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }
    }

    [Fact]
    public void Llava15_7b_OnMeta_HasTheComputedParameterCountAndHfNames()
    {
        var provider = new LlavaProvider();
        using var backbone = provider.FromConfig(provider.Presets["llava-1.5-7b"], new BackboneLoadOptions { Device = "meta", DType = "float16" });
        // Language model: Llama-2-7B shape with vocabulary 32064 (untied): 2*32064*4096 + 32*202,383,360 + 4096 = 6,738,939,904.
        // CLIP ViT-L/14-336: class 1024 + patch 1024*3*14*14 + positions 577*1024 + 2 LayerNorms 2*2048
        //   + 24 layers * 12,596,224 = 303,507,456.  Projector: (1024*4096 + 4096) + (4096*4096 + 4096) = 20,979,712.
        Assert.Equal(6_738_939_904L + 303_507_456L + 20_979_712L, backbone.Info.ParameterCount);
        Assert.Equal(7_063_427_072L, backbone.Info.ParameterCount);
        var state = backbone.Module.state_dict();
        Assert.Equal(new long[] { 1024, 3, 14, 14 }, state["vision_tower.vision_model.embeddings.patch_embedding.weight"].shape);
        Assert.Equal(new long[] { 577, 1024 }, state["vision_tower.vision_model.embeddings.position_embedding.weight"].shape);
        Assert.Equal(new long[] { 4096, 1024 }, state["multi_modal_projector.linear_1.weight"].shape);
        Assert.Equal(new long[] { 32064, 4096 }, state["language_model.lm_head.weight"].shape);
        Assert.Contains("vision_tower.vision_model.pre_layrnorm.weight", state.Keys);
        ShapeSnapshot.AssertMatches("llava-1.5-7b", ParameterStats.Shapes(backbone.Module));
    }

    [Fact]
    public void ClipVisionEncoderProvider_CreatesSeededEncodersThroughTheRegistry()
    {
        var registry = new PluginRegistry(encoders: [new ClipVisionEncoderProvider()]);
        var provider = registry.GetEncoder("encoder.clip-vision");
        var options = new ClipVisionOptions { PatchSize = 8, Hidden = 32, Layers = 2, Heads = 4, KeepCls = true, Seed = 3 };
        var context = new EncoderContext(48, [3, 32, 32], null);
        var a = (IModalityEncoder<Tensor>)provider.Create(context, options);
        var b = (IModalityEncoder<Tensor>)provider.Create(context, options);
        try
        {
            Assert.Equal(17, a.TokensPerItem);
            using var images = rand(3, 3, 32, 32);
            using var ya = a.Encode(images);
            using var yb = b.Encode(images);
            Assert.Equal(new long[] { 3, 17, 48 }, ya.shape);
            Assert.True(ya.allclose(yb, 0, 0), "same seed, same encoder");
            Assert.True(ya.abs().sum().item<float>() > 0);
            Assert.Contains("encoder.clip-vision", Assert.Throws<ArgumentException>(() => provider.Create(new EncoderContext(48, [3, 32, 30], null), options)).Message);
            using var wrong = rand(1, 3, 30, 30);
            Assert.Contains("[batch, 3, 32, 32]", Assert.Throws<ArgumentException>(() => a.Encode(wrong)).Message);
        }
        finally
        {
            a.Module.Dispose();
            b.Module.Dispose();
        }
    }

    [Fact]
    public void Config_UnknownNestedKey_IsNamedWithItsSection()
    {
        using var fx = GoldenFixture.Open("llama");
        var config = Config(fx);
        config["vision_config"]!["patch_sise"] = 14;
        var e = Assert.Throws<InvalidDataException>(() => new LlavaProvider().FromConfig(config.ToJsonString(), new BackboneLoadOptions { Device = "meta" }));
        Assert.Contains("vision_config", e.Message);
        Assert.Contains("patch_sise", e.Message);
    }

    private static JsonObject Config(GoldenFixture fx)
    {
        var text = JsonNode.Parse(File.ReadAllText(Path.Combine(fx.ModelDirectory, "config.json")))!.AsObject();
        return new JsonObject
        {
            ["architectures"] = new JsonArray("LlavaForConditionalGeneration"),
            ["model_type"] = "llava",
            ["projector_hidden_act"] = "gelu",
            ["text_config"] = text,
            ["vision_config"] = new JsonObject
            {
                ["hidden_size"] = VisionWidth, ["intermediate_size"] = 64, ["num_hidden_layers"] = VisionLayers, ["num_attention_heads"] = 2,
                ["image_size"] = 28, ["patch_size"] = 14, ["model_type"] = "clip_vision_model", ["projection_dim"] = 16,
            },
            ["vision_feature_layer"] = -2,
            ["vision_feature_select_strategy"] = "default",
            ["tie_word_embeddings"] = false,
        };
    }

    /// <summary>The Llama fixture under llava-hf names plus random vision/projector tensors under Hugging Face names.</summary>
    private static Dictionary<string, Tensor> BuildCheckpoint(GoldenFixture fx, bool newLayout)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using (var llama = SafetensorsCheckpoint.Open(Path.Combine(fx.ModelDirectory, "model.safetensors")))
        {
            foreach (var name in llama.Names)
            {
                var mapped = newLayout
                    ? (name.StartsWith("model.", StringComparison.Ordinal) ? "model.language_model." + name["model.".Length..] : name)
                    : "language_model." + name;
                result[mapped] = llama.Read(name);
            }
        }

        using var gen = new Generator(11);
        var v = newLayout ? "model.vision_tower.vision_model." : "vision_tower.vision_model.";
        var p = newLayout ? "model.multi_modal_projector." : "multi_modal_projector.";
        void Add(string name, params long[] shape) => result[name] = randn(shape, generator: gen) * 0.2;
        void Norm(string name)
        {
            result[name + ".weight"] = 1 + randn([VisionWidth], generator: gen) * 0.1;
            result[name + ".bias"] = randn([VisionWidth], generator: gen) * 0.05;
        }

        Add(v + "embeddings.class_embedding", VisionWidth);
        Add(v + "embeddings.patch_embedding.weight", VisionWidth, 3, 14, 14);
        Add(v + "embeddings.position_embedding.weight", 5, VisionWidth);
        result[v + "embeddings.position_ids"] = arange(5, dtype: ScalarType.Int64).unsqueeze(0);
        Norm(v + "pre_layrnorm");
        for (var l = 0; l < VisionLayers; l++)
        {
            var lp = $"{v}encoder.layers.{l}.";
            foreach (var proj in new[] { "k_proj", "v_proj", "q_proj", "out_proj" })
            {
                Add(lp + "self_attn." + proj + ".weight", VisionWidth, VisionWidth);
                Add(lp + "self_attn." + proj + ".bias", VisionWidth);
            }

            Norm(lp + "layer_norm1");
            Add(lp + "mlp.fc1.weight", 64, VisionWidth);
            Add(lp + "mlp.fc1.bias", 64);
            Add(lp + "mlp.fc2.weight", VisionWidth, 64);
            Add(lp + "mlp.fc2.bias", VisionWidth);
            Norm(lp + "layer_norm2");
        }

        Norm(v + "post_layernorm");
        Add(p + "linear_1.weight", 64, VisionWidth);
        Add(p + "linear_1.bias", 64);
        Add(p + "linear_2.weight", 64, 64);
        Add(p + "linear_2.bias", 64);
        return result;
    }

    /// <summary>
    /// LLaVa image features in float64 from the raw tensors: patchify by reshaping (an independent form of the
    /// stride-14 convolution), class token, positions, pre-LN, the first layer (feature layer -2 of 2), drop the class
    /// token, projector with exact (erf) GELU.
    /// </summary>
    private static Tensor Reference(Dictionary<string, Tensor> w, Tensor pixels, bool newLayout)
    {
        using var scope = NewDisposeScope();
        var v = newLayout ? "model.vision_tower.vision_model." : "vision_tower.vision_model.";
        var p = newLayout ? "model.multi_modal_projector." : "multi_modal_projector.";
        Tensor W(string name) => w[name].to_type(ScalarType.Float64);
        Tensor Linear(Tensor x, string name) => x.matmul(W(name + ".weight").t()) + W(name + ".bias");
        Tensor LayerNorm(Tensor x, string name)
        {
            var mean = x.mean([-1L], keepdim: true);
            var variance = (x - mean).pow(2).mean([-1L], keepdim: true);
            return (x - mean) / (variance + 1e-5).sqrt() * W(name + ".weight") + W(name + ".bias");
        }

        var b = pixels.shape[0];
        var x = pixels.to_type(ScalarType.Float64).reshape(b, 3, 2, 14, 2, 14).permute(0, 2, 4, 1, 3, 5).reshape(b, 4, 3 * 14 * 14);
        var patches = x.matmul(W(v + "embeddings.patch_embedding.weight").reshape(VisionWidth, -1).t());
        var cls = W(v + "embeddings.class_embedding").view(1, 1, -1).expand(b, 1, -1);
        var h = cat([cls, patches], 1) + W(v + "embeddings.position_embedding.weight");
        h = LayerNorm(h, v + "pre_layrnorm");
        var lp = v + "encoder.layers.0.";
        var a = LayerNorm(h, lp + "layer_norm1");
        Tensor Heads(Tensor t) => t.view(b, 5, 2, 16).transpose(1, 2);
        var q = Heads(Linear(a, lp + "self_attn.q_proj"));
        var k = Heads(Linear(a, lp + "self_attn.k_proj"));
        var val = Heads(Linear(a, lp + "self_attn.v_proj"));
        var att = (q.matmul(k.transpose(2, 3)) / 4.0).softmax(-1).matmul(val).transpose(1, 2).reshape(b, 5, VisionWidth);
        h = h + Linear(att, lp + "self_attn.out_proj");
        var m = Linear(LayerNorm(h, lp + "layer_norm2"), lp + "mlp.fc1");
        m = m * (m * 1.702).sigmoid();
        h = h + Linear(m, lp + "mlp.fc2");
        var features = h.narrow(1, 1, 4);
        var z = Linear(features, p + "linear_1");
        z = z * 0.5 * (1 + (z / Math.Sqrt(2)).erf());
        return Linear(z, p + "linear_2").MoveToOuterDisposeScope();
    }
}
