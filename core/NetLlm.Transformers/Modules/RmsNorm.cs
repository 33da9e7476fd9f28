using NetLlm.Core.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Modules;

/// <summary>
/// Root-mean-square layer norm as in Llama: <c>weight * (x * rsqrt(mean(x^2, -1) + eps))</c>, with the statistics
/// computed in float32 and the normalised value cast back to the input dtype before the gain (Hugging Face
/// <c>LlamaRMSNorm</c>). Half-precision inputs take <see cref="HalfPrecisionRmsNorm"/> (same statistics, fewer passes).
/// State dict: <c>weight</c> <c>[d]</c>.
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Parameter weight;
#pragma warning restore IDE1006
    private readonly double _eps;

    /// <summary>Creates the norm with a gain of ones.</summary>
    /// <param name="dim">Normalised width.</param>
    /// <param name="eps">Epsilon inside the square root.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device (may be <c>meta</c>).</param>
    public RmsNorm(long dim, double eps, ScalarType dtype = ScalarType.Float32, Device? device = null)
        : base(nameof(RmsNorm))
    {
        _eps = eps;
        weight = new Parameter(ParameterAllocation.Ones([dim], dtype, device));
        RegisterComponents();
    }

    /// <summary>The gain (owned by this module).</summary>
    public Parameter Weight => weight;

    /// <summary>Epsilon.</summary>
    public double Eps => _eps;

    /// <summary>Normalises the last dimension. Input borrowed; result new (caller owns).</summary>
    /// <param name="input">Hidden states <c>[..., d]</c>.</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var inputType = input.dtype;
        if (inputType is ScalarType.BFloat16 or ScalarType.Float16 && weight.dtype == inputType)
        {
            return HalfPrecisionRmsNorm.Apply(input, weight, _eps).MoveToOuterDisposeScope();
        }

        var x = inputType == ScalarType.Float32 ? input : input.to_type(ScalarType.Float32);
        var variance = x.square().mean([-1L], keepdim: true);
        var normed = x * rsqrt(variance.add(CachedScalars.Of(_eps), CachedScalars.Of(1.0)));
        if (inputType != ScalarType.Float32)
        {
            normed = normed.to_type(inputType);
        }

        return (weight * normed).MoveToOuterDisposeScope();
    }
}
