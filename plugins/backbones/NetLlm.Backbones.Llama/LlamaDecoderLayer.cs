using NetLlm.Transformers.Attention;
using NetLlm.Transformers.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llama;

/// <summary>
/// One pre-norm Llama block: <c>h + self_attn(input_layernorm(h))</c>, then <c>h + mlp(post_attention_layernorm(h))</c>.
/// </summary>
public sealed class LlamaDecoderLayer : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly LlamaAttention self_attn;
    private readonly LlamaMlp mlp;
    private readonly RmsNorm input_layernorm;
    private readonly RmsNorm post_attention_layernorm;
#pragma warning restore IDE1006

    /// <summary>Creates the block.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="layer">Layer index.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public LlamaDecoderLayer(LlamaConfig config, int layer, ScalarType dtype, Device device)
        : base("LlamaDecoderLayer")
    {
        ArgumentNullException.ThrowIfNull(config);
        self_attn = new LlamaAttention(config, layer, dtype, device);
        mlp = new LlamaMlp(config, dtype, device);
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        RegisterComponents();
    }

    /// <summary>Runs the block. Input borrowed; result new (caller owns).</summary>
    /// <param name="hidden">Hidden states <c>[b, T, d]</c>.</param>
    /// <param name="context">Attention context of this pass.</param>
    /// <param name="select">Positions <c>[b, P]</c> to compute (the result is then <c>[b, P, d]</c>), or null for all.</param>
    public Tensor Forward(Tensor hidden, AttentionContext context, Tensor? select = null)
    {
        using var scope = NewDisposeScope();
        var residual = select is null ? hidden : QuerySelection.Rows(hidden, select);
        var h = residual + self_attn.Forward(input_layernorm.forward(hidden), context, select);
        h = h + mlp.forward(post_attention_layernorm.forward(h));
        return h.MoveToOuterDisposeScope();
    }
}
