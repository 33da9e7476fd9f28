using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Attention;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llava.Clip;

/// <summary>CLIP self-attention (bidirectional): <c>k_proj</c>, <c>v_proj</c>, <c>q_proj</c>, <c>out_proj</c> (adapter targets).</summary>
public sealed class ClipAttention : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly AdaptableLinear k_proj;
    private readonly AdaptableLinear v_proj;
    private readonly AdaptableLinear q_proj;
    private readonly AdaptableLinear out_proj;
#pragma warning restore IDE1006
    private readonly int _heads;
    private readonly int _headDim;

    /// <summary>Creates the layer with zero weights.</summary>
    /// <param name="config">Vision config.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public ClipAttention(ClipVisionConfig config, ScalarType dtype, Device device)
        : base("CLIPAttention")
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.NumAttentionHeads;
        _headDim = config.HiddenSize / config.NumAttentionHeads;
        var d = config.HiddenSize;
        k_proj = new AdaptableLinear(d, d, true, dtype: dtype, device: device);
        v_proj = new AdaptableLinear(d, d, true, dtype: dtype, device: device);
        q_proj = new AdaptableLinear(d, d, true, dtype: dtype, device: device);
        out_proj = new AdaptableLinear(d, d, true, dtype: dtype, device: device);
        RegisterComponents();
    }

    /// <summary>Every position attends to every position. Input borrowed; result new (caller owns).</summary>
    /// <param name="input">Hidden states <c>[b, tokens, d]</c>.</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (input.shape[0], input.shape[1]);
        var q = q_proj.forward(input).view(b, t, _heads, _headDim).transpose(1, 2);
        var k = k_proj.forward(input).view(b, t, _heads, _headDim).transpose(1, 2);
        var v = v_proj.forward(input).view(b, t, _heads, _headDim).transpose(1, 2);
        using var none = AttentionBias.None();
        var attended = ScaledAttention.Attend(q, k, v, none);
        return out_proj.forward(attended.transpose(1, 2).reshape(b, t, _heads * _headDim)).MoveToOuterDisposeScope();
    }
}
