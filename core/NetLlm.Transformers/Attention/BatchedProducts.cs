using static TorchSharp.torch;

namespace NetLlm.Transformers.Attention;

/// <summary>
/// <c>input + alpha · (batch1 @ batch2)</c> (<c>torch.baddbmm</c> with beta 1). TorchSharp 0.107 binds
/// <c>baddbmm</c>'s operands in a rotated order (<c>a.baddbmm(b, m)</c> computes <c>m + a @ b</c>); the order is
/// probed once on small tensors, so the call stays right if a later TorchSharp fixes the binding.
/// </summary>
internal static class BatchedProducts
{
    private static readonly Lazy<bool> Rotated = new(ProbeRotated);

    /// <summary>
    /// <c>input + alpha · (batch1 @ batch2)</c> for <paramref name="batch1"/> <c>[n, t, d]</c> and
    /// <paramref name="batch2"/> <c>[n, d, s]</c>; <paramref name="input"/> broadcasts to <c>[n, t, s]</c>. All
    /// borrowed; returns a new tensor (caller owns).
    /// </summary>
    /// <param name="input">Added term (e.g. an attention mask).</param>
    /// <param name="batch1">Left factors.</param>
    /// <param name="batch2">Right factors.</param>
    /// <param name="alpha">Scale of the products.</param>
    public static Tensor AddScaledProduct(Tensor input, Tensor batch1, Tensor batch2, float alpha) =>
        Rotated.Value
            ? batch1.baddbmm(batch2, input, 1, alpha)
            : input.baddbmm(batch1, batch2, 1, alpha);

    private static bool ProbeRotated()
    {
        using var scope = NewDisposeScope();
        // Non-square factors: only the documented reading of the operands has matching shapes.
        var m = tensor(new float[] { 1, 2, 3, 4, 5, 6 }).view(1, 2, 3);
        var a = tensor(new float[] { 2, 1 }).view(1, 2, 1);
        var b = tensor(new float[] { 7, 8, 9 }).view(1, 1, 3);
        var expected = m + a.bmm(b);
        using var asDocumented = TryCall(() => m.baddbmm(a, b, 1, 1));
        if (asDocumented is not null && asDocumented.allclose(expected))
        {
            return false;
        }

        using var rotated = TryCall(() => a.baddbmm(b, m, 1, 1));
        if (rotated is not null && rotated.allclose(expected))
        {
            return true;
        }

        throw new InvalidOperationException("torch.baddbmm computes neither operand order on a probe; this TorchSharp build is not supported");
    }

    private static Tensor? TryCall(Func<Tensor> call)
    {
        try
        {
            return call();
        }
        catch (System.Runtime.InteropServices.ExternalException)
        {
            return null;
        }
    }
}
