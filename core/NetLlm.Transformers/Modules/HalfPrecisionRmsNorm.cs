using NetLlm.Core.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Modules;

/// <summary>
/// RMS norm of a half-precision input (bfloat16 or float16) as one autograd node with a hand-written backward.
/// The statistics stay in float32 (the sum of squares accumulates in float32, as Hugging Face's upcast), but the
/// input is not copied to float32: the forward makes two passes over the activations instead of seven, the backward
/// four instead of about ten (half of them over float32 copies). The result can differ from the upcast composition by
/// one unit in the last place (the normalised value is rounded once more before the gain).
/// <para>With <c>r = rsqrt(mean(x²) + eps)</c> and <c>y = w · x · r</c>:
/// <c>dx = r · (g·w) − x · r³ · mean((g·w) · x)</c>; <c>dw = Σ g · x · r</c> over all but the last dimension
/// (computed only when the gain requires a gradient, e.g. full fine-tuning).</para>
/// </summary>
internal static class HalfPrecisionRmsNorm
{
    /// <summary>Normalises the last dimension of <paramref name="input"/> (borrowed); returns a new tensor.</summary>
    /// <param name="input">Half-precision hidden states <c>[..., d]</c>.</param>
    /// <param name="weight">Gain <c>[d]</c> in the input's dtype.</param>
    /// <param name="eps">Epsilon inside the square root.</param>
    public static Tensor Apply(Tensor input, Tensor weight, double eps)
    {
        var tracked = is_grad_enabled() && (input.requires_grad || weight.requires_grad);
        if (!tracked)
        {
            using var r = InverseRms(input, eps);
            return Normalise(input, r).mul_(weight);
        }

        return Function.apply(input, weight, eps);
    }

    private static Tensor InverseRms(Tensor x, double eps)
    {
        using var squares = x.square();
        var sumSquares = squares.sum([-1L], keepdim: true, type: ScalarType.Float32);
        return sumSquares.div_(CachedScalars.Of(x.shape[^1])).add_(CachedScalars.Of(eps)).rsqrt_();
    }

    private static Tensor Normalise(Tensor x, Tensor inverseRms)
    {
        using var r = inverseRms.to_type(x.dtype);
        return x.mul(r);
    }

    private sealed class Function : autograd.SingleTensorFunction<Function>
    {
        public override string Name => "HalfPrecisionRmsNormBackward";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (x, w, eps) = ((Tensor)vars[0], (Tensor)vars[1], (double)vars[2]);
            var r = InverseRms(x, eps);
            var y = Normalise(x, r).mul_(w);
            ctx.save_for_backward([x, w, r]);
            return y;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            var saved = ctx.get_saved_variables();
            var (x, w, r) = (saved[0], saved[1], saved[2]);
            Tensor? dw = null;
            if (w.requires_grad)
            {
                using var normed = Normalise(x, r);
                using var product = grad.mul(normed);
                var dims = Enumerable.Range(0, (int)x.dim() - 1).Select(i => (long)i).ToArray();
                dw = product.sum(dims, type: ScalarType.Float32).to_type(w.dtype);
            }

            Tensor? dx = null;
            if (x.requires_grad)
            {
                var gw = grad.mul(w);
                using var gwx = gw.mul(x);
                using var dot = gwx.sum([-1L], keepdim: true, type: ScalarType.Float32);
                using var r3 = r.pow(CachedScalars.Of(3.0));
                using var coefficient = dot.mul_(r3).div_(CachedScalars.Of(-x.shape[^1])).to_type(x.dtype);
                using var rHalf = r.to_type(x.dtype);
                dx = gw.mul_(rHalf).addcmul_(x, coefficient, CachedScalars.Of(1.0));
            }

            return [dx!, dw!, null!];
        }
    }
}
