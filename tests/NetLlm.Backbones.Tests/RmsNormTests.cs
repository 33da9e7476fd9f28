using NetLlm.Transformers.Modules;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>The half-precision RMS norm (one autograd node) against the float32 composition it replaces.</summary>
public sealed class RmsNormTests
{
    [Theory]
    [InlineData(ScalarType.BFloat16, false)]
    [InlineData(ScalarType.BFloat16, true)]
    [InlineData(ScalarType.Float16, true)]
    public void HalfPrecision_ValueAndGradients_MatchFloat32(ScalarType dtype, bool trainGain)
    {
        manual_seed(11);
        using var x32 = randn(3, 5, 64).mul(2.5);
        using var g32 = randn(3, 5, 64);
        using var w32 = rand(64).add(0.5);

        // Reference: Hugging Face's composition in float32, gradients by autograd.
        using var xr = x32.detach().requires_grad_(true);
        using var wr = w32.detach().requires_grad_(true);
        using var variance = xr.square().mean([-1L], keepdim: true);
        using var expected = wr * (xr * rsqrt(variance + 1e-5));
        expected.backward([g32]);

        using var norm = new RmsNorm(64, 1e-5, dtype);
        using (no_grad())
        {
            norm.Weight.copy_(w32);
        }

        norm.Weight.requires_grad_(trainGain);
        using var xh = x32.to_type(dtype).requires_grad_(true);
        using var actual = norm.forward(xh);
        Assert.Equal(dtype, actual.dtype);
        actual.backward([g32.to_type(dtype)]);

        // Half precision keeps 8 (bf16) or 11 (fp16) significant bits; values here are up to ~10 in size.
        var tolerance = dtype == ScalarType.BFloat16 ? 0.02 : 0.003;
        AssertClose(expected, actual, tolerance, "y");
        AssertClose(xr.grad!, xh.grad!, tolerance, "dx");
        if (trainGain)
        {
            AssertClose(wr.grad!, norm.Weight.grad!, tolerance, "dw");
        }
        else
        {
            Assert.Null(norm.Weight.grad);
        }
    }

    [Fact]
    public void HalfPrecision_WithoutGradients_GivesTheSameValue()
    {
        manual_seed(12);
        using var x = randn(4, 32).to_type(ScalarType.BFloat16);
        using var norm = new RmsNorm(32, 1e-6, ScalarType.BFloat16);
        norm.Weight.requires_grad_(false);
        using var tracked = norm.forward(x.requires_grad_(true));
        using var noGrad = no_grad();
        using var untracked = norm.forward(x.detach());
        Assert.Equal(0, tracked.detach().ne(untracked).sum().item<long>());
    }

    private static void AssertClose(Tensor expected, Tensor actual, double relative, string name)
    {
        using var e = expected.detach().to_type(ScalarType.Float32);
        using var a = actual.detach().to_type(ScalarType.Float32);
        var scale = e.abs().max().item<float>();
        var error = (a - e).abs().max().item<float>();
        Assert.True(error <= relative * scale, $"{name}: max error {error} over scale {scale}");
    }
}
