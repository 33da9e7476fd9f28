using NetLlm.Core.Modules;
using static TorchSharp.torch;

namespace NetLlm.Core.Tests;

public sealed class InvertedDropoutTests
{
    [Theory]
    [InlineData(ScalarType.Float32, 0.05)]
    [InlineData(ScalarType.BFloat16, 0.05)]
    [InlineData(ScalarType.Float16, 0.3)]
    [InlineData(ScalarType.Float64, 0.5)]
    public void Mask_DropsTheRequestedFraction_AndScalesTheRest(ScalarType dtype, double p)
    {
        manual_seed(7);
        const int n = 1 << 20;
        using var x = ones(n, dtype: dtype);
        using var y = InvertedDropout.Apply(x, p, training: true);
        Assert.Equal(dtype, y.dtype);
        using var y64 = y.to_type(ScalarType.Float64);
        using var zero = y64.eq(0);
        var dropped = zero.sum().item<long>() / (double)n;

        // Binomial standard deviation sqrt(p(1-p)/n) is at most 0.0005 here; allow five of them.
        Assert.InRange(dropped, p - 0.0025, p + 0.0025);
        using var kept = y64.masked_select(zero.logical_not());
        using var expected = tensor(1.0 / (1.0 - p)).to_type(dtype).to_type(ScalarType.Float64);
        Assert.Equal(expected.item<double>(), kept.min().item<double>());
        Assert.Equal(expected.item<double>(), kept.max().item<double>());
    }

    [Fact]
    public void SameTorchSeed_GivesTheSameMask_AndTheMaskMovesOn()
    {
        using var x = ones(4096);
        manual_seed(3);
        using var a = InvertedDropout.Apply(x, 0.2, training: true);
        using var b = InvertedDropout.Apply(x, 0.2, training: true);
        manual_seed(3);
        using var c = InvertedDropout.Apply(x, 0.2, training: true);
        Assert.Equal(0, a.ne(c).sum().item<long>());
        Assert.True(a.ne(b).sum().item<long>() > 100);
    }

    [Fact]
    public void Gradient_IsTheMask_AndEvaluationIsTheIdentity()
    {
        manual_seed(5);
        using var x = randn(64, 32).requires_grad_(true);
        using var y = InvertedDropout.Apply(x, 0.25, training: true);
        using var loss = y.sum();
        loss.backward();
        using var ratio = y.detach().div(x.detach());
        Assert.True(x.grad!.allclose(ratio, rtol: 1e-5, atol: 1e-6));

        using var eval = InvertedDropout.Apply(x, 0.25, training: false);
        Assert.Equal(0, eval.ne(x).sum().item<long>());
        Assert.Throws<ArgumentOutOfRangeException>(() => InvertedDropout.Apply(x, 1.0, training: true));
    }
}
