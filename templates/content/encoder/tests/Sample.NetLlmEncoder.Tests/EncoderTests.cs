using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Plugins;
using NetLlm.Core.Options;
using NetLlm.Core.Plugins;
using NetLlm.Testing.Conformance;
using TorchSharp;
using static TorchSharp.torch;

namespace Sample.NetLlmEncoder.Tests;

public sealed class EncoderTests
{
    // The ids of the plugins NetLlm ships with: a plugin id must not clash with any installed plugin.
    private static readonly string[] BuiltIn =
    [
        "backbone.gpt2", "backbone.llama", "backbone.llava", "backbone.mistral", "backbone.opt",
        "baselines.abr.bba", "baselines.abr.oracle", "baselines.abr.pensieve", "baselines.abr.robust-mpc", "baselines.cjs.decima",
        "baselines.cjs.random", "baselines.cjs.round-robin", "baselines.vp.lr", "baselines.vp.persistence", "baselines.vp.track", "baselines.vp.velocity",
        "encoders.graph", "encoders.standard", "encoders.vision", "task.abr", "task.cjs", "task.vp", "testbeds.abr.dashplayer",
    ];

    private static PatchSeriesEncoder Create(int d = 16, int length = 24, int channels = 2, int patch = 4) =>
        (PatchSeriesEncoder)new PatchSeriesEncoderProvider().Create(new EncoderContext(d, [channels, length], null), new PatchOptions { Patch = patch });

    [Fact]
    public void Manifest_IsValidAndUnique()
    {
        var manifest = ManifestChecks.HasValidManifest(typeof(PatchSeriesEncoder).Assembly, BuiltIn);

        Assert.Equal("encoders.sample-id", manifest.Id);
        Assert.Equal(PluginKind.Encoder, manifest.Kind);
    }

    [Fact]
    public void Conformance_TheProviderPassesTheKit()
    {
        var results = PluginConformance.CheckAll(new PluginRegistry(encoders: [new PatchSeriesEncoderProvider()]), dataRoot: null);

        var result = Assert.Single(results);
        Assert.Equal(PatchSeriesEncoderProvider.EncoderId, result.Id);
        // The kit probes encoders of the modalities it knows (series among them); another modality is checked through the
        // task slots that use it.
        Assert.True(result.Passed || (result.Skipped && PatchSeriesEncoderProvider.EncoderModality != "series"), result.ToString());
    }

    [Fact]
    public void Options_AreATypedRecordWithDefaultsAndRanges()
    {
        IEncoderProvider provider = new PatchSeriesEncoderProvider();
        var schema = OptionSchema.Of(provider.OptionsType);

        Assert.Equal(typeof(PatchOptions), provider.OptionsType);
        Assert.Equal(4, ((PatchOptions)schema.CreateDefault()).Patch);
        Assert.Equal(PatchSeriesEncoderProvider.EncoderModality, provider.Modality);
    }

    [Fact]
    public void Encoder_ProducesOneTokenPerPatchOfTheSlotWidth()
    {
        manual_seed(1);
        using var encoder = Create();
        using var input = randn(3, 2, 24);

        ModuleChecks.EncoderTokenShapes(encoder, input, batch: 3);
        using var tokens = encoder.Encode(input);

        Assert.Equal([3L, 6L, 16L], tokens.shape);
        Assert.Equal(6, encoder.TokensPerItem);
        Assert.Equal(PatchSeriesEncoderProvider.EncoderModality, encoder.Modality);
    }

    [Fact]
    public void Encoder_PadsASeriesThatIsNotAMultipleOfThePatch()
    {
        using var encoder = Create(length: 10, patch: 4);
        using var input = randn(2, 2, 10);

        using var tokens = encoder.Encode(input);

        Assert.Equal(3, encoder.TokensPerItem);
        Assert.Equal([2L, 3L, 16L], tokens.shape);
    }

    [Fact]
    public void Token_DependsOnlyOnItsOwnPatch()
    {
        manual_seed(2);
        using var encoder = Create();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = randn(1, 2, 24);
        var changed = input.clone();
        changed[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(8, 12)].add_(5.0);

        var difference = (encoder.Encode(changed) - encoder.Encode(input)).abs().amax(new long[] { 0, 2 });

        var perToken = difference.data<float>().ToArray();
        Assert.Equal(6, perToken.Length);
        Assert.True(perToken[2] > 1e-3, "the changed patch's token did not change");
        Assert.All(perToken.Where((_, i) => i != 2), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Encoder_IsDeterministicForASeed()
    {
        manual_seed(3);
        using var a = Create();
        manual_seed(3);
        using var b = Create();
        using var input = ones(2, 2, 24);

        using var ta = a.Encode(input);
        using var tb = b.Encode(input);

        Assert.True(ta.equal(tb).all().item<bool>());
    }

    [Fact]
    public void Encoder_RejectsAnInputOfTheWrongShape()
    {
        using var encoder = Create();
        using var input = randn(3, 1, 24);

        var error = Assert.Throws<ArgumentException>(() => encoder.Encode(input));

        Assert.Contains("expects [batch, 2, 24], got [3, 1, 24]", error.Message);
    }

    [Fact]
    public void Provider_RejectsASlotWhoseItemsAreNotSeries()
    {
        var error = Assert.Throws<ArgumentException>(() => new PatchSeriesEncoderProvider().Create(new EncoderContext(8, [5], null), new PatchOptions()));

        Assert.Contains("encodes items of shape [channels, length], not [5]", error.Message);
    }
}
