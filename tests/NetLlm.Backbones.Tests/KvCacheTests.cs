using NetLlm.Abstractions.Backbones;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>Feeding a sequence in pieces through the key/value cache equals one pass, with and without left padding.</summary>
public sealed class KvCacheTests
{
    private static readonly int[] Pieces = [7, 1, 5, 7];

    [Theory]
    [InlineData("gpt2", false)]
    [InlineData("gpt2", true)]
    [InlineData("opt", false)]
    [InlineData("opt", true)]
    [InlineData("llama", false)]
    [InlineData("llama", true)]
    [InlineData("mistral", false)]
    [InlineData("mistral", true)]
    public void TokensInPieces_EqualOnePass_WithLeftPadding(string arch, bool hfStyleMask)
    {
        using var fx = GoldenFixture.Open(arch);
        using var backbone = Providers.For(arch).FromPretrained(fx.ModelDirectory, new BackboneLoadOptions());
        using var ids = fx.Input("input_ids");
        using var mask = fx.Input("attention_mask");
        using var full = backbone.Forward(new BackboneInput { InputIds = ids, AttentionMask = mask, OutputLogits = true });

        using var cache = backbone.CreateCache();
        var parts = new List<Tensor>();
        var start = 0;
        foreach (var n in Pieces)
        {
            using var pieceIds = ids.narrow(1, start, n);
            using var pieceMask = hfStyleMask ? mask.narrow(1, 0, start + n) : mask.narrow(1, start, n);
            using var result = backbone.Forward(new BackboneInput { InputIds = pieceIds, AttentionMask = pieceMask, Cache = cache, OutputLogits = true });
            parts.Add(result.Logits!.alias());
            start += n;
            Assert.Equal(start, cache.Length);
            Assert.Equal(start, cache.NextPosition);
        }

        using var stitched = cat(parts, 1);
        parts.ForEach(p => p.Dispose());
        Tolerance.AssertClose(stitched, full.Logits!, mask, 1e-5, 1e-5, $"{arch} cached logits");
        Assert.NotNull(cache.Mask);
        Assert.Equal(0L, cache.Mask![1, 0].item<long>());
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("opt")]
    [InlineData("llama")]
    [InlineData("mistral")]
    public void EmbeddingsInPieces_EqualOnePass(string arch)
    {
        using var fx = GoldenFixture.Open(arch);
        using var backbone = Providers.For(arch).FromPretrained(fx.ModelDirectory, new BackboneLoadOptions());
        using var embeds = fx.Input("inputs_embeds");
        using var expected = fx.Expected("embeds_last_hidden_state");
        using var cache = backbone.CreateCache();
        var parts = new List<Tensor>();
        foreach (var (s, n) in new[] { (0, 9), (9, 1), (10, 6) })
        {
            using var piece = embeds.narrow(1, s, n);
            using var result = backbone.Forward(new BackboneInput { InputsEmbeds = piece, Cache = cache });
            parts.Add(result.LastHiddenState.alias());
        }

        using var stitched = cat(parts, 1);
        parts.ForEach(p => p.Dispose());
        Tolerance.AssertClose(stitched, expected, null, 1e-4, 1e-4, $"{arch} cached embeds");
        Assert.Null(cache.Mask);
    }

    /// <summary>
    /// Evicting the oldest cached positions equals masking them out: the retained keys/values stay as computed, and
    /// new tokens continue at <see cref="IKvCache.NextPosition"/> (not at the shrunken length).
    /// </summary>
    [Theory]
    [InlineData("llama")]
    [InlineData("mistral")]
    [InlineData("gpt2")]
    public void DropFirst_EqualsMaskingTheEvictedPositions(string arch)
    {
        using var fx = GoldenFixture.Open(arch);
        using var backbone = Providers.For(arch).FromPretrained(fx.ModelDirectory, new BackboneLoadOptions());
        using var embeds = fx.Input("inputs_embeds");
        using var first = embeds.narrow(1, 0, 10);
        using var next = embeds.narrow(1, 10, 6);

        using var dropped = backbone.CreateCache();
        backbone.Forward(new BackboneInput { InputsEmbeds = first, Cache = dropped }).Dispose();
        dropped.DropFirst(4);
        Assert.Equal(6, dropped.Length);
        Assert.Equal(10, dropped.NextPosition);
        using var afterDrop = backbone.Forward(new BackboneInput { InputsEmbeds = next, Cache = dropped });

        using var kept = backbone.CreateCache();
        backbone.Forward(new BackboneInput { InputsEmbeds = first, Cache = kept }).Dispose();
        using var mask = ones(2, 16, dtype: ScalarType.Int64);
        mask.narrow(1, 0, 4).fill_(0);
        using var masked = backbone.Forward(new BackboneInput { InputsEmbeds = next, AttentionMask = mask, Cache = kept });
        Tolerance.AssertClose(afterDrop.LastHiddenState, masked.LastHiddenState, null, 1e-5, 1e-5, $"{arch} after DropFirst");
    }

    /// <summary>Rotary attention depends on relative positions only: shifting every position id changes nothing.</summary>
    [Theory]
    [InlineData("llama")]
    [InlineData("mistral")]
    public void Rotary_ShiftedPositions_GiveTheSameOutput(string arch)
    {
        using var fx = GoldenFixture.Open(arch);
        using var backbone = Providers.For(arch).FromPretrained(fx.ModelDirectory, new BackboneLoadOptions());
        using var embeds = fx.Input("inputs_embeds");
        using var expected = fx.Expected("embeds_last_hidden_state");
        using var shifted = arange(100, 116, dtype: ScalarType.Int64).unsqueeze(0).expand(2, 16).contiguous();
        using var result = backbone.Forward(new BackboneInput { InputsEmbeds = embeds, PositionIds = shifted });
        Tolerance.AssertClose(result.LastHiddenState, expected, null, 1e-4, 1e-4, $"{arch} shifted positions");
    }

    [Fact]
    public void Mask_OfWrongLength_NamesBothLengths()
    {
        using var fx = GoldenFixture.Open("llama");
        using var backbone = Providers.For("llama").FromPretrained(fx.ModelDirectory, new BackboneLoadOptions());
        using var cache = backbone.CreateCache();
        using var ids = fx.Input("input_ids");
        using var head = ids.narrow(1, 0, 5);
        backbone.Forward(new BackboneInput { InputIds = head, Cache = cache }).Dispose();
        using var tail = ids.narrow(1, 5, 3);
        using var badMask = ones(2, 4, dtype: ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => backbone.Forward(new BackboneInput { InputIds = tail, AttentionMask = badMask, Cache = cache }));
        Assert.Contains("covers 4 positions", e.Message);
        Assert.Contains("3 (new tokens) or 8", e.Message);
    }
}
