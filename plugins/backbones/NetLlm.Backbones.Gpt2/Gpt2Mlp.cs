using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Gpt2;

/// <summary>GPT-2 MLP: <c>c_proj(act(c_fc(x)))</c>, fan-in-fan-out adapter targets.</summary>
public sealed class Gpt2Mlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly AdaptableLinear c_fc;
    private readonly AdaptableLinear c_proj;
#pragma warning restore IDE1006
    private readonly Func<Tensor, Tensor> _act;

    /// <summary>Creates the block with zero weights.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public Gpt2Mlp(Gpt2Config config, ScalarType dtype, Device device)
        : base("GPT2MLP")
    {
        ArgumentNullException.ThrowIfNull(config);
        c_fc = new AdaptableLinear(config.NEmbd, config.InnerSize, hasBias: true, fanInFanOut: true, dtype: dtype, device: device);
        c_proj = new AdaptableLinear(config.InnerSize, config.NEmbd, hasBias: true, fanInFanOut: true, dtype: dtype, device: device);
        _act = Activations.Get(config.ActivationFunction, "config");
        RegisterComponents();
    }

    /// <summary>Applies the block. Input borrowed; result new (caller owns).</summary>
    /// <param name="input">Hidden states.</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return c_proj.forward(_act(c_fc.forward(input))).MoveToOuterDisposeScope();
    }
}
