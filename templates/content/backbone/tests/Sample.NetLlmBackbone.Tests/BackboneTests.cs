using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Plugins;
using NetLlm.Core.Lora;
using NetLlm.Testing.Conformance;
using static TorchSharp.torch;

namespace Sample.NetLlmBackbone.Tests;

/// <summary>The backbone contract: presets, shapes, masks, the key/value cache and adapter targets.</summary>
public sealed class BackboneTests
{
    internal const string Preset = "sample-decoder-tiny";

    internal static IBackbone CreateTiny(int seed = 1) =>
        new SampleDecoderProvider().FromConfig(new SampleDecoderProvider().Presets[Preset], new BackboneLoadOptions { RandomInit = true, Seed = seed });

    [Fact]
    public void Manifest_IsValidAndUnique()
    {
        // The ids of the plugins NetLlm ships with: a plugin id must not clash with any installed plugin.
        string[] builtIn =
        [
            "backbone.gpt2", "backbone.llama", "backbone.llava", "backbone.mistral", "backbone.opt",
            "baselines.abr.bba", "baselines.abr.oracle", "baselines.abr.pensieve", "baselines.abr.robust-mpc", "baselines.cjs.decima",
            "baselines.cjs.random", "baselines.cjs.round-robin", "baselines.vp.lr", "baselines.vp.persistence", "baselines.vp.track", "baselines.vp.velocity",
            "encoders.graph", "encoders.standard", "encoders.vision", "task.abr", "task.cjs", "task.vp", "testbeds.abr.dashplayer",
        ];

        var manifest = ManifestChecks.HasValidManifest(typeof(SampleDecoderProvider).Assembly, builtIn);

        Assert.Equal("backbone.sample-id", manifest.Id);
        Assert.Equal(PluginKind.Backbone, manifest.Kind);
    }

    [Fact]
    public void Conformance_TheFamilyPassesTheKit()
    {
        var provider = new SampleDecoderProvider();

        var detail = BackboneConformance.Check(provider);

        Assert.Contains("1 run with the KV cache and LoRA on q_proj,v_proj", detail);
        Assert.Null(provider.DefaultPreset);
        Assert.Equal([Preset], provider.Presets.Keys);
    }

    [Fact]
    public void Preset_HasTheDeclaredShapeAndParameterCount()
    {
        using var backbone = CreateTiny();
        const long d = 64, vocab = 256, positions = 512, ffn = 256, layers = 2;
        var perLayer = (4 * ((d * d) + d)) + (2 * 2 * d) + ((d * ffn) + ffn) + ((ffn * d) + d);

        Assert.Equal(SampleDecoderConfig.Type, backbone.Info.ModelType);
        Assert.Equal(64, backbone.HiddenSize);
        Assert.Equal(2, backbone.Info.NumLayers);
        Assert.Equal((vocab * d) + (positions * d) + (layers * perLayer) + (2 * d), backbone.Info.ParameterCount);
    }

    [Fact]
    public void Forward_ReturnsHiddenStatesAndLogits_ForTokensAndEmbeddings()
    {
        using var backbone = CreateTiny();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        using var fromTokens = backbone.Forward(new BackboneInput { InputIds = randint(0, 256, new long[] { 2, 5 }), OutputLogits = true, OutputHiddenStates = true });
        using var fromEmbeds = backbone.Forward(new BackboneInput { InputsEmbeds = randn(3, 4, 64) });

        Assert.Equal([2L, 5L, 64L], fromTokens.LastHiddenState.shape);
        Assert.Equal([2L, 5L, 256L], fromTokens.Logits!.shape);
        Assert.Equal(3, fromTokens.HiddenStates!.Count);
        Assert.Equal([3L, 4L, 64L], fromEmbeds.LastHiddenState.shape);
        Assert.Null(fromEmbeds.Logits);
    }

    [Fact]
    public void Cache_IncrementalPassesEqualOneFullPass()
    {
        using var backbone = CreateTiny(seed: 2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var embeds = randn(2, 7, 64);
        using var cache = backbone.CreateCache();

        using var full = backbone.Forward(new BackboneInput { InputsEmbeds = embeds });
        using var first = backbone.Forward(new BackboneInput { InputsEmbeds = embeds.narrow(1, 0, 4), Cache = cache });
        using var second = backbone.Forward(new BackboneInput { InputsEmbeds = embeds.narrow(1, 4, 3), Cache = cache });

        Assert.Equal(7, cache.Length);
        var incremental = cat([first.LastHiddenState, second.LastHiddenState], 1);
        Assert.True((incremental - full.LastHiddenState).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Mask_PaddedPositionsDoNotChangeTheRealTokens()
    {
        using var backbone = CreateTiny(seed: 3);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var embeds = randn(1, 6, 64);
        var padded = cat([embeds, randn(1, 2, 64)], 1);
        var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 0, 0 }).view(1, 8);

        using var plain = backbone.Forward(new BackboneInput { InputsEmbeds = embeds });
        using var masked = backbone.Forward(new BackboneInput { InputsEmbeds = padded, AttentionMask = mask });

        Assert.True((masked.LastHiddenState.narrow(1, 0, 6) - plain.LastHiddenState).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Lora_FindsTheQueryAndValueProjectionsOfEveryLayer()
    {
        using var backbone = CreateTiny();

        var targets = LoraTargets.Find(backbone.Module, new LoraOptions());

        Assert.Equal(["layers.0.self_attn.q_proj", "layers.0.self_attn.v_proj", "layers.1.self_attn.q_proj", "layers.1.self_attn.v_proj"], targets.Select(t => t.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Forward_BeyondTheLearnedPositions_FailsWithTheReason()
    {
        using var backbone = CreateTiny();
        using var scope = NewDisposeScope();
        var positions = full(new long[] { 1, 2 }, 600, dtype: ScalarType.Int64);

        var error = Assert.Throws<ArgumentException>(() => backbone.Forward(new BackboneInput { InputsEmbeds = randn(1, 2, 64), PositionIds = positions }));

        Assert.Contains("512 learned positions", error.Message);
    }
}
