using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Opt;

/// <summary>Hugging Face <c>OPTModel</c>: a wrapper holding <c>decoder</c>.</summary>
public sealed class OptModel : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly OptDecoder decoder;
#pragma warning restore IDE1006

    /// <summary>Creates the model.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public OptModel(OptConfig config, ScalarType dtype, Device device)
        : base("OPTModel")
    {
        decoder = new OptDecoder(config, dtype, device);
        RegisterComponents();
    }

    /// <summary>The decoder.</summary>
    public OptDecoder Decoder => decoder;
}
