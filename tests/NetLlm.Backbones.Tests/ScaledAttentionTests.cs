using NetLlm.Transformers.Attention;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>The explicit half-precision attention path against libtorch's fused kernel in float32.</summary>
public sealed class ScaledAttentionTests
{
    [Theory]
    [InlineData("causal")]
    [InlineData("additive")]
    [InlineData("none")]
    public void HalfPrecision_MatchesTheFusedKernel(string restriction)
    {
        manual_seed(4);
        using var q = randn(2, 4, 7, 16);
        using var k = randn(2, 2, 7, 16);
        using var v = randn(2, 2, 7, 16);
        using var keyMask = ones(2, 7, dtype: ScalarType.Int64);
        keyMask[1].narrow(0, 0, 2).fill_(0);
        AttentionBias Bias(ScalarType dtype) => restriction switch
        {
            "causal" => AttentionBias.Causal(),
            "additive" => AttentionMaskBuilder.Build(keyMask, 7, 0, null, dtype, CPU),
            _ => AttentionBias.None(),
        };

        using var bias32 = Bias(ScalarType.Float32);
        using var bias16 = Bias(ScalarType.BFloat16);
        using var expected = ScaledAttention.Attend(q, k, v, bias32, scale: 0.2);
        using var actual = ScaledAttention.Attend(q.to_type(ScalarType.BFloat16), k.to_type(ScalarType.BFloat16), v.to_type(ScalarType.BFloat16), bias16, scale: 0.2);
        Assert.Equal(ScalarType.BFloat16, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);

        // Padded query rows (sequence 1, positions 0-1) see no key under the additive mask; compare the others.
        using var diff = actual.to_type(ScalarType.Float32).sub(expected).abs();
        var rows = restriction == "additive" ? diff[1].narrow(1, 2, 5) : diff[1];
        Assert.InRange(rows.max().item<float>(), 0f, 0.05f);
        Assert.InRange(diff[0].max().item<float>(), 0f, 0.05f);
    }
}
