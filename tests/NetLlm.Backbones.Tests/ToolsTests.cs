using NetLlm.Core.Adaptation;
using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using NetLlm.Core.Plugins;
using NetLlm.Testing;
using NetLlm.Transformers.Tools;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>The helpers behind <c>netllm backbone info/forward</c>: model resolution and .npy in/out.</summary>
public sealed class ToolsTests
{
    private static readonly PluginRegistry Registry = new(backbones: new[] { "gpt2", "opt", "llama", "mistral", "llava" }.Select(Providers.For));

    [Theory]
    [InlineData("gpt2")]
    [InlineData("opt")]
    [InlineData("llama")]
    [InlineData("mistral")]
    public void Forward_FromNpyFiles_ReproducesTheFixtureLogits(string arch)
    {
        using var fx = GoldenFixture.Open(arch);
        using var tmp = new TempDirectory();
        using var backbone = BackboneFactory.Load(Registry, fx.ModelDirectory, new BackboneLoadOptions());
        Assert.Equal(arch, backbone.Info.Family);
        var inputs = Path.Combine(fx.Directory, "inputs");
        var shape = BackboneForwardTool.Run(backbone, new BackboneForwardRequest
        {
            InputIds = Path.Combine(inputs, "input_ids.npy"),
            AttentionMask = Path.Combine(inputs, "attention_mask.npy"),
            Output = "logits",
            OutputPath = tmp.File("logits.npy"),
        });
        Assert.Equal(new long[] { 2, 20, 256 }, shape);
        using var actual = NpyFile.ReadTensor(tmp.File("logits.npy"));
        using var expected = NpyFile.ReadTensor(Path.Combine(fx.Directory, "expected", "tokens_logits.npy"));
        using var mask = NpyFile.ReadTensor(Path.Combine(inputs, "attention_mask.npy"));
        Tolerance.AssertClose(actual, expected, mask, 1e-4, 1e-4, $"{arch} npy logits");

        BackboneForwardTool.Run(backbone, new BackboneForwardRequest { InputsEmbeds = Path.Combine(inputs, "inputs_embeds.npy"), Output = "hidden_states", OutputPath = tmp.File("h.npy") });
        using var hidden = NpyFile.ReadTensor(tmp.File("h.npy"));
        using var expectedHidden = NpyFile.ReadTensor(Path.Combine(fx.Directory, "expected", "embeds_hidden_states.npy"));
        Tolerance.AssertClose(hidden, expectedHidden, null, 1e-4, 1e-4, $"{arch} npy hidden states");
    }

    [Fact]
    public void Forward_BadRequests_NameTheProblem()
    {
        using var fx = GoldenFixture.Open("llama");
        using var backbone = BackboneFactory.Load(Registry, fx.ModelDirectory, new BackboneLoadOptions());
        var embeds = Path.Combine(fx.Directory, "inputs", "inputs_embeds.npy");
        Assert.Contains("exactly one", Assert.Throws<ArgumentException>(() => BackboneForwardTool.Run(backbone, new BackboneForwardRequest { OutputPath = "x.npy" })).Message);
        Assert.Contains("unknown output 'scores'", Assert.Throws<ArgumentException>(() => BackboneForwardTool.Run(backbone, new BackboneForwardRequest { InputsEmbeds = embeds, Output = "scores", OutputPath = "x.npy" })).Message);
        var e = Assert.Throws<InvalidDataException>(() => BackboneForwardTool.Run(backbone, new BackboneForwardRequest { InputIds = embeds, OutputPath = "x.npy" }));
        Assert.Contains(embeds, e.Message);
        Assert.Contains("integer", e.Message);
    }

    [Fact]
    public void Resolver_FindsFamiliesByModelTypeFormatAndPreset()
    {
        using (var stories = BackboneFactory.Load(Registry, TestPaths.Fixture("models/stories260K"), new BackboneLoadOptions()))
        {
            Assert.Equal(("llama", 5), (stories.Info.Family, stories.Info.NumLayers));
        }

        using (var tiny = BackboneFactory.Load(Registry, "llama-tiny-2x256", new BackboneLoadOptions { Seed = 3 }))
        {
            Assert.Equal((2, 256, 4, 688, 512), (tiny.Info.NumLayers, tiny.HiddenSize, tiny.Info.NumAttentionHeads, tiny.Info.IntermediateSize, tiny.Info.VocabSize));
            var json = BackboneDescription.ToJson(tiny);
            Assert.Equal("LlamaForCausalLM", json["architecture"]!.GetValue<string>());
            Assert.Equal(tiny.Info.ParameterCount * 4, json["estimated_parameter_bytes"]!.GetValue<long>());
            Assert.Contains("layers 2, hidden 256", BackboneDescription.ToText(tiny));
        }

        using (var gpt = BackboneFactory.Load(Registry, "gpt2/gpt2-tiny-2x256", new BackboneLoadOptions()))
        {
            Assert.Equal(PositionEncoding.LearnedAbsolute, gpt.PositionEncoding);
        }

        var e = Assert.Throws<DirectoryNotFoundException>(() => BackboneFactory.Load(Registry, "no-such-model", new BackboneLoadOptions()));
        Assert.Contains("llama/llama-12x768", e.Message);
    }

    [Fact]
    public void RandomInit_IsDeterministicPerSeed()
    {
        using var a = BackboneFactory.Load(Registry, "llama-tiny-2x256", new BackboneLoadOptions { Seed = 5 });
        using var b = BackboneFactory.Load(Registry, "llama-tiny-2x256", new BackboneLoadOptions { Seed = 5 });
        using var c = BackboneFactory.Load(Registry, "llama-tiny-2x256", new BackboneLoadOptions { Seed = 6 });
        var wa = a.Module.state_dict()["model.layers.1.self_attn.q_proj.weight"];
        Assert.True(wa.equal(b.Module.state_dict()["model.layers.1.self_attn.q_proj.weight"]).all().item<bool>());
        Assert.False(wa.equal(c.Module.state_dict()["model.layers.1.self_attn.q_proj.weight"]).all().item<bool>());
        Assert.InRange(wa.std().item<float>(), 0.018f, 0.022f);
        Assert.Equal(1f, a.Module.state_dict()["model.norm.weight"].mean().item<float>());
    }
}
