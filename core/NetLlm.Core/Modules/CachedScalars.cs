using System.Collections.Concurrent;
using TorchSharp;

namespace NetLlm.Core.Modules;

/// <summary>
/// Process-lifetime <see cref="Scalar"/>s for the constants of hot paths (norm epsilons, LoRA scaling, attention
/// scales, activation slopes). TorchSharp converts a <c>double</c> operand (<c>x + eps</c>, <c>x.mul(0.5)</c>) to a
/// temporary <see cref="Scalar"/> and passes only its native handle; the temporary can be finalized on the GC's
/// finalizer thread while libtorch still reads it, which fails long or parallel runs inside libtorch with
/// "Expected false to be true ... toFloat" (seen in parallel evaluations). Pass <c>CachedScalars.Of(value)</c>
/// instead; the scalars are never disposed (a few per distinct constant).
/// </summary>
public static class CachedScalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Doubles = new();

    /// <summary>The cached scalar of <paramref name="value"/> (a double scalar; never dispose it).</summary>
    /// <param name="value">The constant.</param>
    public static Scalar Of(double value) => Doubles.GetOrAdd(value, v => v.ToScalar());
}
