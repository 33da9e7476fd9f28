using TorchSharp;

namespace NetLlm.Tasks.JobScheduling.Graph;

/// <summary>
/// Scalars kept alive for the whole process. TorchSharp's <see cref="Scalar"/> frees its native value in a finalizer
/// and native calls take only its raw handle, so a temporary created by an implicit conversion (for example the
/// <c>alpha</c> of <c>index_add</c>) can be finalized while the call still reads it; long runs then fail inside
/// libtorch. Pass these instead of literals.
/// </summary>
public static class TorchScalars
{
    /// <summary>1.0.</summary>
    public static readonly Scalar One = 1.0.ToScalar();

    /// <summary>The logit given to invalid choices (−1e9).</summary>
    public static readonly Scalar MaskedLogit = (-1e9f).ToScalar();
}
