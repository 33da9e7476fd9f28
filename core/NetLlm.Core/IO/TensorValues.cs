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

        using var finite = isfinite(tensor);
        if (finite.all().item<bool>())
        {
            return 0;
        }

        using var bad = finite.logical_not().sum();
        return bad.item<long>();
    }
}
