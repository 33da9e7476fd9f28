using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Attention;
using NetLlm.Transformers.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sample.NetLlmBackbone;

/// <summary>
/// A pre-LayerNorm decoder layer: <c>h + self_attn(input_layernorm(h))</c>, then
/// <c>h + down_proj(act(up_proj(post_attention_layernorm(h))))</c>.
/// </summary>
public sealed class SampleDecoderLayer : nn.Module
{
    private readonly LayerNorm input_layernorm;
    private readonly SampleAttention self_attn;
    private readonly LayerNorm post_attention_layernorm;
    private readonly AdaptableLinear up_proj;
    private readonly AdaptableLinear down_proj;
    private readonly Func<Tensor, Tensor> _act;

    /// <summary>Creates the layer.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="layer">Layer index.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public SampleDecoderLayer(SampleDecoderConfig config, int layer, ScalarType dtype, Device device)
        : base(nameof(SampleDecoderLayer))
    {
        ArgumentNullException.ThrowIfNull(config);
        input_layernorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        self_attn = new SampleAttention(config, layer, dtype, device);
        post_attention_layernorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        up_proj = new AdaptableLinear(config.HiddenSize, config.IntermediateSize, hasBias: true, dtype: dtype, device: device);
        down_proj = new AdaptableLinear(config.IntermediateSize, config.HiddenSize, hasBias: true, dtype: dtype, device: device);
        _act = Activations.Get(config.HiddenAct, "config");
        RegisterComponents();
    }

    /// <summary>Runs the layer. Input borrowed; result new (caller owns).</summary>
    /// <param name="hidden">Hidden states <c>[batch, tokens, d]</c>.</param>
    /// <param name="context">Attention context of the pass.</param>
    public Tensor Forward(Tensor hidden, AttentionContext context)
    {
        using var scope = NewDisposeScope();
        var h = hidden + self_attn.Forward(input_layernorm.forward(hidden), context);
        h = h + down_proj.forward(_act(up_proj.forward(post_attention_layernorm.forward(h))));
        return h.MoveToOuterDisposeScope();
    }
}
