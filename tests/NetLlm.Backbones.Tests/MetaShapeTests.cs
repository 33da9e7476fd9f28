using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Checkpoints;
using NetLlm.Transformers.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>
/// Full published configurations built on the <c>meta</c> device (no memory): parameter counts equal the published
/// ones (tied weights once), and the state-dict names and shapes equal the approved snapshot, so real checkpoints load.
/// </summary>
public sealed class MetaShapeTests
{
    [Theory]
    [InlineData("llama", "llama-2-7b", 6_738_415_616L, 291)]
    [InlineData("mistral", "mistral-7b-v0.1", 7_241_732_096L, 291)]
    [InlineData("opt", "opt-1.3b", 1_315_758_080L, 388)]
    [InlineData("gpt2", "gpt2", 124_439_808L, 148)]
    public void PublishedConfig_OnMeta_HasPublishedParameterCountAndSnapshot(string family, string preset, long parameters, int tensors)
    {
        var provider = Providers.For(family);
        using var backbone = provider.FromConfig(provider.Presets[preset], new BackboneLoadOptions { Device = "meta", DType = "bfloat16" });
        Assert.Equal(DeviceType.META, backbone.Device.type);
        Assert.All(backbone.Module.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
        Assert.Equal(parameters, backbone.Info.ParameterCount);
        Assert.Equal(parameters * 2, backbone.Info.EstimatedParameterBytes);
        var shapes = ParameterStats.Shapes(backbone.Module);
        Assert.Equal(tensors, shapes.Count);
        ShapeSnapshot.AssertMatches(preset, shapes);
    }

    [Fact]
    public void Llama2_7b_SpotShapes_MatchTheHuggingFaceCheckpoint()
    {
        var provider = Providers.For("llama");
        using var backbone = provider.FromConfig(provider.Presets["llama-2-7b"], new BackboneLoadOptions { Device = "meta" });
        var state = backbone.Module.state_dict();
        Assert.Equal(new long[] { 32000, 4096 }, state["model.embed_tokens.weight"].shape);
        Assert.Equal(new long[] { 4096, 11008 }, state["model.layers.31.mlp.down_proj.weight"].shape);
        Assert.Equal(new long[] { 32000, 4096 }, state["lm_head.weight"].shape);
        Assert.Equal(32, backbone.Info.NumLayers);
    }

    [Fact]
    public void Mistral7b_GroupedQuery_KeyValueProjectionsAre1024Wide()
    {
        var provider = Providers.For("mistral");
        using var backbone = provider.FromConfig(provider.Presets["mistral-7b-v0.1"], new BackboneLoadOptions { Device = "meta" });
        var state = backbone.Module.state_dict();
        Assert.Equal(new long[] { 1024, 4096 }, state["model.layers.0.self_attn.k_proj.weight"].shape);
        Assert.Equal(new long[] { 4096, 4096 }, state["model.layers.0.self_attn.q_proj.weight"].shape);
        Assert.Equal(8, backbone.Info.NumKeyValueHeads);
    }

    [Fact]
    public void MetaModel_FromPretrained_ChecksNamesAndShapesWithoutReadingData()
    {
        using var fx = GoldenFixture.Open("llama");
        using var backbone = Providers.For("llama").FromPretrained(fx.ModelDirectory, new BackboneLoadOptions { Device = "meta" });
        Assert.Equal(DeviceType.META, backbone.Device.type);
        Assert.Equal(21, backbone.Module.state_dict().Count);
        using var checkpoint = CheckpointFiles.Open(fx.ModelDirectory, allowPickle: false);
        Assert.Equal(21, checkpoint.Names.Count);
    }
}
