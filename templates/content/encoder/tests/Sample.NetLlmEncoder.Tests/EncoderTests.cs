using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Plugins;
using NetLlm.Testing.Conformance;
using TorchSharp;
using static TorchSharp.torch;

namespace Sample.NetLlmEncoder.Tests;

public sealed class EncoderTests
{
    private static PatchSeriesEncoder Create(int d = 16, int length = 24, int channels = 2, int patch = 4) =>
        (PatchSeriesEncoder)new PatchSeriesEncoderProvider().Create(new EncoderSpec(d, new Dictionary<string, double>
        {
            ["length"] = length,
            ["channels"] = channels,
            ["patch"] = patch,
        }));

    [Fact]
    public void Manifest_IsValidAndUnique()
    {
        // The ids of the plugins NetLlm ships with: a plugin id must not clash with any installed plugin.
        string[] builtIn = ["backbone.gpt2", "backbone.llama", "backbone.llava", "backbone.mistral", "backbone.opt", "baselines.abr", "baselines.cjs", "baselines.vp", "encoders.standard", "encoders.vision", "task.abr", "task.cjs", "task.vp"];

        var manifest = ManifestChecks.HasValidManifest(typeof(PatchSeriesEncoder).Assembly, builtIn);

        Assert.Equal("encoders.sample-id", manifest.Id);
        Assert.Equal(PluginKind.Encoder, manifest.Kind);
    }

    [Fact]
    public void Encoder_ProducesOneTokenPerPatchOfTheDeclaredWidth()
    {
        manual_seed(1);
        using var encoder = Create();
        using var input = randn(3, 2, 24);

        ModuleChecks.EncoderTokenShapes(encoder, input, batch: 3);
        using var tokens = encoder.Encode(input);

        Assert.Equal([3L, 6L, 16L], tokens.shape);
        Assert.Equal(6, encoder.TokensPerItem);
        Assert.Equal("series", encoder.Modality);
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
    public void Provider_RequiresTheLength()
    {
        var error = Assert.Throws<ArgumentException>(() => new PatchSeriesEncoderProvider().Create(new EncoderSpec(8, new Dictionary<string, double>())));

        Assert.Contains("needs the setting 'length'", error.Message);
    }

    [Fact]
    public void Provider_RejectsALengthThatIsNotAMultipleOfThePatch()
    {
        var error = Assert.Throws<ArgumentException>(() => Create(length: 10, patch: 4));

        Assert.Contains("length 10 is not a multiple of the patch size 4", error.Message);
    }

    [Fact]
    public void Provider_RejectsAnUnknownSetting()
    {
        var spec = new EncoderSpec(8, new Dictionary<string, double> { ["length"] = 8, ["stride"] = 2 });

        var error = Assert.Throws<ArgumentException>(() => new PatchSeriesEncoderProvider().Create(spec));

        Assert.Contains("unknown setting 'stride'", error.Message);
    }
}
