using NetLlm.Core.Adaptation;
using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using NetLlm.Core.Plugins;
using NetLlm.Testing;
using NetLlm.Transformers.Tools;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary><see cref="BackboneInput.OutputPositions"/>: the selected rows equal those of the full pass.</summary>
public sealed class OutputPositionsTests
{
    private static readonly PluginRegistry Registry = new(backbones: new[] { "gpt2", "opt", "llama", "mistral", "llava" }.Select(Providers.For));

    [Theory]
    [InlineData("gpt2", false, "bfloat16")]
    [InlineData("opt", true, "float32")]
    [InlineData("llama", false, "float32")]
    [InlineData("llama", true, "float32")]
    [InlineData("llama", true, "bfloat16")]
    [InlineData("mistral", true, "float32")]
    public void SelectedRows_EqualTheFullPass(string arch, bool padded, string dtype)
    {
        using var fx = GoldenFixture.Open(arch);
        using var backbone = BackboneFactory.Load(Registry, fx.ModelDirectory, new BackboneLoadOptions { DType = dtype });
        var inputs = Path.Combine(fx.Directory, "inputs");
        using var embeds = NpyFile.ReadTensor(Path.Combine(inputs, "inputs_embeds.npy"));
        var (b, t) = (embeds.shape[0], embeds.shape[1]);
        Assert.True(b >= 2 && t >= 12, $"fixture has {b} x {t} tokens");

        // Padded: the second sequence is left-padded by three positions.
        using var mask = padded ? ones(b, t, dtype: ScalarType.Int64) : null;
        mask?[1].narrow(0, 0, 3).fill_(0);

        // Unordered, repeated positions, different per row, including the first real and the last.
        var rows = new long[b * 5];
        for (var i = 0; i < b; i++)
        {
            new[] { t - 1, 3 + i, i == 1 && padded ? 3 : 0, t - 1, 7 }.CopyTo(rows, i * 5);
        }

        using var select = tensor(rows).view(b, 5);
        using var full = backbone.Forward(new BackboneInput { InputsEmbeds = embeds, AttentionMask = mask });
        using var part = backbone.Forward(new BackboneInput { InputsEmbeds = embeds, AttentionMask = mask, OutputPositions = select });
        Assert.Equal(new[] { b, 5L, (long)backbone.HiddenSize }, part.LastHiddenState.shape);
        using var index = select.unsqueeze(-1).expand(-1, -1, backbone.HiddenSize);
        using var expected = full.LastHiddenState.gather(1, index).to_type(ScalarType.Float32);
        using var actual = part.LastHiddenState.to_type(ScalarType.Float32);
        var tolerance = dtype == "float32" ? 1e-5 : 3e-2;
        Tolerance.AssertClose(actual, expected, null, tolerance, tolerance, $"{arch} {dtype} selected rows");
    }

    [Fact]
    public void BadPositions_AreRejectedWithTheirShape()
    {
        using var fx = GoldenFixture.Open("llama");
        using var backbone = BackboneFactory.Load(Registry, fx.ModelDirectory, new BackboneLoadOptions());
        using var embeds = randn(2, 6, backbone.HiddenSize);
        using var outOfRange = tensor(new long[] { 0, 6 }).view(2, 1);
        var e = Assert.Throws<ArgumentException>(() => backbone.Forward(new BackboneInput { InputsEmbeds = embeds, OutputPositions = outOfRange }));
        Assert.Contains("0..5", e.Message);
        using var flat = tensor(new long[] { 0, 1 });
        e = Assert.Throws<ArgumentException>(() => backbone.Forward(new BackboneInput { InputsEmbeds = embeds, OutputPositions = flat }));
        Assert.Contains("[2, P]", e.Message);
        using var ok = tensor(new long[] { 0, 1 }).view(2, 1);
        using var cache = backbone.CreateCache();
        e = Assert.Throws<ArgumentException>(() => backbone.Forward(new BackboneInput { InputsEmbeds = embeds, OutputPositions = ok, Cache = cache }));
        Assert.Contains("cache", e.Message);
    }
}
