using static TorchSharp.torch;

namespace NetLlm.Core.IO;

/// <summary>Checks on the values of tensors read from files or produced by a model.</summary>
public static class TensorValues
{
    /// <summary>How many elements of <paramref name="tensor"/> are NaN or infinite (0 for integer tensors).</summary>
    /// <param name="tensor">The tensor (borrowed).</param>
    public static long NonFiniteCount(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!tensor.is_floating_point())
        {
            return 0;
        }

        if (tensor.numel() == 0)
        {
            return 0;
        }

        // One reduction without a temporary (minimum and maximum propagate NaN): about 50 times faster than isfinite on
        // bfloat16, which matters when every tensor of a 7B checkpoint is checked. Count only when something is wrong.
        var (min, max) = tensor.aminmax();
        using (min)
        using (max)
        {
            using var low = min.to_type(ScalarType.Float64);
            using var high = max.to_type(ScalarType.Float64);
            if (double.IsFinite(low.item<double>()) && double.IsFinite(high.item<double>()))
            {
                return 0;
            }
        }

        using var finite = isfinite(tensor);
        using var bad = finite.logical_not().sum();
        return bad.item<long>();
    }
}
