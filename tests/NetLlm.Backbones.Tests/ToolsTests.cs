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

    /// <summary>Inputs that used to crash deep in the model or give NaN outputs with exit 0 (issue 15).</summary>
    [Fact]
    public void Forward_OutOfRangeIdsNonFiniteEmbeddingsAndMismatchedMasks_AreRefusedNamingTheFile()
    {
        using var fx = GoldenFixture.Open("llama");
        using var tmp = new TempDirectory();
        using var backbone = BackboneFactory.Load(Registry, fx.ModelDirectory, new BackboneLoadOptions());
        var vocab = backbone.Info.VocabSize;
        string Save(string name, Tensor t)
        {
            using (t)
            {
                NpyFile.Write(tmp.File(name), t);
            }

            return tmp.File(name);
        }

        string Fails(BackboneForwardRequest request) =>
            Assert.Throws<InvalidDataException>(() => BackboneForwardTool.Run(backbone, request with { OutputPath = tmp.File("out.npy") })).Message;

        var big = Save("big.npy", tensor(new long[] { 1, 2, vocab }).reshape(1, 3));
        var negative = Save("neg.npy", tensor(new long[] { 1, -2, 3 }).reshape(1, 3));
        var nan = Save("nan.npy", full(1, 3, backbone.HiddenSize, float.NaN));
        var narrow = Save("narrow.npy", zeros(1, 3, backbone.HiddenSize - 1));
        var ids = Save("ids.npy", tensor(new long[] { 1, 2, 3 }).reshape(1, 3));
        var shortMask = Save("short.npy", ones(1, 2, dtype: ScalarType.Int64));
        var twos = Save("twos.npy", full(1, 3, 2L, dtype: ScalarType.Int64));

        Assert.Equal($"{big}: token id {vocab} is outside the vocabulary of the model (0 to {vocab - 1})", Fails(new() { InputIds = big, OutputPath = string.Empty }));
        Assert.StartsWith($"{negative}: token id -2 is outside", Fails(new() { InputIds = negative, OutputPath = string.Empty }), StringComparison.Ordinal);
        Assert.Equal($"{nan}: {3 * backbone.HiddenSize} value(s) are NaN or infinite", Fails(new() { InputsEmbeds = nan, OutputPath = string.Empty }));
        Assert.StartsWith($"{narrow}: embeddings are {backbone.HiddenSize - 1} wide", Fails(new() { InputsEmbeds = narrow, OutputPath = string.Empty }), StringComparison.Ordinal);
        Assert.StartsWith($"{shortMask}: mask shape [1, 2] does not match", Fails(new() { InputIds = ids, AttentionMask = shortMask, OutputPath = string.Empty }), StringComparison.Ordinal);
        Assert.StartsWith($"{twos}: mask values must be 0", Fails(new() { InputIds = ids, AttentionMask = twos, OutputPath = string.Empty }), StringComparison.Ordinal);
        Assert.Equal(new long[] { 1, 3, backbone.HiddenSize }, BackboneForwardTool.Run(backbone, new BackboneForwardRequest { InputIds = ids, OutputPath = tmp.File("ok.npy") }));
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
