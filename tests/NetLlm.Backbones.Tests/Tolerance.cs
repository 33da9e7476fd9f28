using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>Element-wise comparison <c>|a - e| &lt;= atol + rtol * |e|</c> over the valid (mask == 1) positions.</summary>
internal static class Tolerance
{
    /// <summary>
    /// Asserts that <paramref name="actual"/> matches <paramref name="expected"/> (both <c>[..., batch, tokens, features]</c>)
    /// where <paramref name="mask"/> <c>[batch, tokens]</c> is 1 (all positions when null); returns the max abs error.
    /// </summary>
    public static double AssertClose(Tensor actual, Tensor expected, Tensor? mask, double atol, double rtol, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        var a = actual.to_type(ScalarType.Float64).cpu();
        var e = expected.to_type(ScalarType.Float64).cpu();
        var diff = (a - e).abs();
        var allowed = e.abs() * rtol + atol;
        var valid = mask is null ? ones_like(diff, dtype: ScalarType.Bool) : mask.cpu().ne(0).unsqueeze(-1).expand_as(diff);
        var violations = diff.gt(allowed).logical_and(valid).sum().item<long>();
        var maxErr = diff.masked_fill(valid.logical_not(), 0).max().item<double>();
        Assert.True(violations == 0, $"{what}: {violations} elements outside atol {atol} + rtol {rtol}; max abs error {maxErr:G4}");
        Assert.False(double.IsNaN(maxErr), $"{what}: NaN in the compared positions");
        return maxErr;
    }
}
