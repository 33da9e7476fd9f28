using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llava.Clip;

/// <summary>Hugging Face <c>CLIPEncoder</c>: <c>layers</c>.</summary>
public sealed class ClipEncoder : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly ModuleList<ClipEncoderLayer> layers;
#pragma warning restore IDE1006

    /// <summary>Creates the encoder.</summary>
    /// <param name="config">Vision config.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public ClipEncoder(ClipVisionConfig config, ScalarType dtype, Device device)
        : base("CLIPEncoder")
    {
        ArgumentNullException.ThrowIfNull(config);
        layers = new ModuleList<ClipEncoderLayer>([.. Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new ClipEncoderLayer(config, dtype, device))]);
        RegisterComponents();
    }

    /// <summary>Number of layers.</summary>
    public int Count => layers.Count;

    /// <summary>Runs the first <paramref name="count"/> layers. Input borrowed; result new (caller owns).</summary>
    /// <param name="hidden">Hidden states.</param>
    /// <param name="count">Layers to run.</param>
    public Tensor Run(Tensor hidden, int count)
    {
        using var scope = NewDisposeScope();
        var h = hidden.alias();
        for (var i = 0; i < count; i++)
        {
            h = layers[i].forward(h);
        }

        return h.MoveToOuterDisposeScope();
    }
}
