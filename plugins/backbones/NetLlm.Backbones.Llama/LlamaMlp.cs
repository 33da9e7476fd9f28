using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llama;

/// <summary>
/// Llama feed-forward block: <c>down_proj(act(gate_proj(x)) * up_proj(x))</c>. State dict: <c>gate_proj</c>,
/// <c>up_proj</c>, <c>down_proj</c> (adapter targets).
/// </summary>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly AdaptableLinear gate_proj;
    private readonly AdaptableLinear up_proj;
    private readonly AdaptableLinear down_proj;
#pragma warning restore IDE1006
    private readonly Func<Tensor, Tensor> _act;

    /// <summary>Creates the block with zero weights.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public LlamaMlp(LlamaConfig config, ScalarType dtype, Device device)
        : base("LlamaMLP")
    {
        ArgumentNullException.ThrowIfNull(config);
        gate_proj = new AdaptableLinear(config.HiddenSize, config.IntermediateSize, config.MlpBias, dtype: dtype, device: device);
        up_proj = new AdaptableLinear(config.HiddenSize, config.IntermediateSize, config.MlpBias, dtype: dtype, device: device);
        down_proj = new AdaptableLinear(config.IntermediateSize, config.HiddenSize, config.MlpBias, dtype: dtype, device: device);
        _act = Activations.Get(config.HiddenAct, "config");
        RegisterComponents();
    }

    /// <summary>Applies the block. Input borrowed; result new (caller owns).</summary>
    /// <param name="input">Hidden states <c>[b, T, d]</c>.</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var gated = _act(gate_proj.forward(input)) * up_proj.forward(input);
        return down_proj.forward(gated).MoveToOuterDisposeScope();
    }
}
