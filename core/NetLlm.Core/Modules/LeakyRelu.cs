using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Core.Modules;

/// <summary>
/// LeakyReLU whose negative slope is a process-lifetime <see cref="Scalar"/>. TorchSharp's <c>nn.LeakyReLU</c> and
/// <c>functional.leaky_relu(x, double)</c> convert the slope to a temporary <see cref="Scalar"/> on every call and pass
/// only its native handle; the temporary can be finalized on the GC thread while libtorch still reads it, which
/// fails long or parallel runs with "Expected false to be true ... toFloat" (seen in Decima evaluations). No
/// parameters, so state-dict names are unchanged when it replaces <c>nn.LeakyReLU</c>.
/// </summary>
public sealed class LeakyRelu : nn.Module<Tensor, Tensor>
{
    private readonly Scalar _slope;

    /// <summary>Creates the activation.</summary>
    /// <param name="negativeSlope">Slope for negative inputs (PyTorch's default 0.01).</param>
    public LeakyRelu(double negativeSlope = 0.01)
        : base(nameof(LeakyRelu))
    {
        NegativeSlope = negativeSlope;
        _slope = Slope(negativeSlope);
    }

    /// <summary>The negative slope.</summary>
    public double NegativeSlope { get; }

    /// <summary>The cached scalar for <paramref name="negativeSlope"/> (never disposed).</summary>
    /// <param name="negativeSlope">Slope.</param>
    public static Scalar Slope(double negativeSlope) => CachedScalars.Of(negativeSlope);

    /// <summary>LeakyReLU of <paramref name="input"/> with a cached slope; the result is owned by the caller.</summary>
    /// <param name="input">Input tensor (not modified).</param>
    /// <param name="negativeSlope">Slope for negative inputs.</param>
    public static Tensor Apply(Tensor input, double negativeSlope = 0.01)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.leaky_relu(Slope(negativeSlope));
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.leaky_relu(_slope);
    }
}
