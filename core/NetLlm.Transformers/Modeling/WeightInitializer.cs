using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Modeling;

/// <summary>
/// Seeded random initialisation in the manner of Hugging Face <c>_init_weights</c>: linear, convolution and embedding
/// weights ~ N(0, std²), biases 0, layer-norm and RMS-norm gains 1 (layer-norm biases 0). Deterministic for a seed:
/// parameters are visited in <c>named_modules</c> order with one generator. Does nothing on the <c>meta</c> device.
/// </summary>
public static class WeightInitializer
{
    /// <summary>Initialises every parameter of <paramref name="module"/> in place.</summary>
    /// <param name="module">The module.</param>
    /// <param name="std">Standard deviation of weights (<c>initializer_range</c>).</param>
    /// <param name="seed">Seed.</param>
    /// <param name="stdOverride">Optional per-parameter standard deviation by full parameter name (null keeps <paramref name="std"/>).</param>
    public static void Initialize(nn.Module module, double std, int seed, Func<string, double?>? stdOverride = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module.parameters().Any(p => p.device_type == DeviceType.META))
        {
            return;
        }

        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (moduleName, child) in module.named_modules())
        {
            foreach (var (paramName, p) in child.named_parameters(recurse: false))
            {
                var full = string.IsNullOrEmpty(moduleName) ? paramName : moduleName + "." + paramName;
                switch (child)
                {
                    case RmsNorm:
                    case LayerNorm when paramName == "weight":
                        p.fill_(1.0);
                        break;
                    case LayerNorm:
                        p.zero_();
                        break;
                    case AdaptableLinear or Linear or Conv2d when paramName == "bias":
                        p.zero_();
                        break;
                    default:
                        Normal(p, stdOverride?.Invoke(full) ?? std, generator);
                        break;
                }
            }
        }
    }

    private static void Normal(Tensor p, double std, Generator generator)
    {
        if (p.dtype == ScalarType.Float32)
        {
            p.normal_(0.0, std, generator);
            return;
        }

        // Draw in float32 so a seed gives the same values (up to rounding) in every compute dtype.
        using var draw = empty(p.shape, dtype: ScalarType.Float32, device: p.device).normal_(0.0, std, generator);
        p.copy_(draw);
    }
}
