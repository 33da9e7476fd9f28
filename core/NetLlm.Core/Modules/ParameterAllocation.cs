using static TorchSharp.torch;

namespace NetLlm.Core.Modules;

/// <summary>
/// How modules allocate the initial values of their parameters. Normally a layer starts from defined values (zeros,
/// ones); inside <see cref="SkipInitialization"/> — used while building a model that a checkpoint will fill
/// entirely, as Hugging Face's <c>no_init_weights</c> — parameters are allocated without being written, so a 7B model
/// costs no pass over its memory before the weights arrive and untouched pages never become resident.
/// </summary>
public static class ParameterAllocation
{
    private static readonly AsyncLocal<bool> Skipping = new();

    /// <summary>True inside a <see cref="SkipInitialization"/> scope on this logical thread.</summary>
    public static bool IsSkippingInitialization => Skipping.Value;

    /// <summary>
    /// Starts a scope in which <see cref="Zeros"/> and <see cref="Ones"/> leave memory unwritten; dispose it to end the
    /// scope. Only for modules whose every parameter is overwritten before use (a strict checkpoint load).
    /// </summary>
    public static IDisposable SkipInitialization()
    {
        var previous = Skipping.Value;
        Skipping.Value = true;
        return new Scope(previous);
    }

    /// <summary>A tensor of zeros, or an unwritten one inside <see cref="SkipInitialization"/>.</summary>
    /// <param name="shape">Shape.</param>
    /// <param name="dtype">Dtype.</param>
    /// <param name="device">Device, or null for CPU.</param>
    public static Tensor Zeros(long[] shape, ScalarType dtype, Device? device) =>
        Skipping.Value ? empty(shape, dtype: dtype, device: device) : zeros(shape, dtype: dtype, device: device);

    /// <summary>A tensor of ones, or an unwritten one inside <see cref="SkipInitialization"/>.</summary>
    /// <param name="shape">Shape.</param>
    /// <param name="dtype">Dtype.</param>
    /// <param name="device">Device, or null for CPU.</param>
    public static Tensor Ones(long[] shape, ScalarType dtype, Device? device) =>
        Skipping.Value ? empty(shape, dtype: dtype, device: device) : ones(shape, dtype: dtype, device: device);

    private sealed class Scope(bool previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                Skipping.Value = previous;
                _disposed = true;
            }
        }
    }
}
