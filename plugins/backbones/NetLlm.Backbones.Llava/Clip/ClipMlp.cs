using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llava.Clip;

/// <summary>CLIP MLP: <c>fc2(act(fc1(x)))</c> (adapter targets).</summary>
public sealed class ClipMlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly AdaptableLinear fc1;
    private readonly AdaptableLinear fc2;
#pragma warning restore IDE1006
    private readonly Func<Tensor, Tensor> _act;

    /// <summary>Creates the block.</summary>
    /// <param name="config">Vision config.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public ClipMlp(ClipVisionConfig config, ScalarType dtype, Device device)
        : base("CLIPMLP")
    {
        ArgumentNullException.ThrowIfNull(config);
        fc1 = new AdaptableLinear(config.HiddenSize, config.IntermediateSize, true, dtype: dtype, device: device);
        fc2 = new AdaptableLinear(config.IntermediateSize, config.HiddenSize, true, dtype: dtype, device: device);
        _act = Activations.Get(config.HiddenAct, "vision_config");
        RegisterComponents();
    }

    /// <summary>Applies the block. Input borrowed; result new (caller owns).</summary>
    /// <param name="input">Hidden states.</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return fc2.forward(_act(fc1.forward(input))).MoveToOuterDisposeScope();
    }
}
