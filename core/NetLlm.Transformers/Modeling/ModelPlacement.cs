using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Modeling;

/// <summary>The compute dtype and device a backbone is built with, parsed from <see cref="BackboneLoadOptions"/>.</summary>
/// <param name="DType">Parameter and compute dtype (float32, bfloat16 or float16).</param>
/// <param name="Device">Parameter device (cpu, cuda[:n] or meta).</param>
public sealed record ModelPlacement(ScalarType DType, Device Device)
{
    /// <summary>True on the <c>meta</c> device (shapes only, no memory, no data).</summary>
    public bool IsMeta => Device.type == DeviceType.META;

    /// <summary>Parses the options; throws <see cref="ArgumentException"/> naming the bad value.</summary>
    /// <param name="options">Load options.</param>
    public static ModelPlacement From(BackboneLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dtype = TensorDType.Parse(options.DType);
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
        {
            throw new ArgumentException($"compute dtype '{options.DType}' is not supported; use float32, bfloat16 or float16");
        }

        Device device;
        try
        {
            device = torch.device(options.Device);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ArgumentException($"unknown device '{options.Device}' (use cpu, cuda, cuda:N or meta)", e);
        }

        if (device.type == DeviceType.CUDA && !cuda.is_available())
        {
            throw new ArgumentException($"device '{options.Device}' requested but CUDA is not available in this build");
        }

        return new ModelPlacement(dtype, device);
    }
}
