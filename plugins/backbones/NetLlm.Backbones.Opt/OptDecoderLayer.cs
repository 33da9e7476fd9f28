using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Attention;
using NetLlm.Transformers.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Opt;

/// <summary>
/// One OPT block: <c>self_attn</c> with <c>self_attn_layer_norm</c>, then <c>fc1</c>/activation/<c>fc2</c> with
/// <c>final_layer_norm</c>, the norms applied before (pre-LN) or after (post-LN) each residual branch.
/// </summary>
public sealed class OptDecoderLayer : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly OptAttention self_attn;
    private readonly LayerNorm self_attn_layer_norm;
    private readonly AdaptableLinear fc1;
    private readonly AdaptableLinear fc2;
    private readonly LayerNorm final_layer_norm;
#pragma warning restore IDE1006
    private readonly bool _preNorm;
    private readonly Func<Tensor, Tensor> _act;

    /// <summary>Creates the block.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="layer">Layer index.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public OptDecoderLayer(OptConfig config, int layer, ScalarType dtype, Device device)
        : base("OPTDecoderLayer")
    {
        ArgumentNullException.ThrowIfNull(config);
        _preNorm = config.DoLayerNormBefore;
        _act = Activations.Get(config.ActivationFunction, "config");
        self_attn = new OptAttention(config, layer, dtype, device);
        self_attn_layer_norm = nn.LayerNorm(config.HiddenSize, elementwise_affine: config.LayerNormElementwiseAffine, device: device, dtype: dtype);
        fc1 = new AdaptableLinear(config.HiddenSize, config.FfnDim, config.EnableBias, dtype: dtype, device: device);
        fc2 = new AdaptableLinear(config.FfnDim, config.HiddenSize, config.EnableBias, dtype: dtype, device: device);
        final_layer_norm = nn.LayerNorm(config.HiddenSize, elementwise_affine: config.LayerNormElementwiseAffine, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Runs the block; input borrowed, result new (caller owns).</summary>
    /// <param name="hidden">Hidden states <c>[b, T, d]</c>.</param>
    /// <param name="context">Attention context.</param>
    public Tensor Forward(Tensor hidden, AttentionContext context)
    {
        using var scope = NewDisposeScope();
        var x = _preNorm ? self_attn_layer_norm.forward(hidden) : hidden;
        var h = hidden + self_attn.Forward(x, context);
        if (!_preNorm)
        {
            h = self_attn_layer_norm.forward(h);
        }

        x = _preNorm ? final_layer_norm.forward(h) : h;
        h = h + fc2.forward(_act(fc1.forward(x)));
        if (!_preNorm)
        {
            h = final_layer_norm.forward(h);
        }

        return h.MoveToOuterDisposeScope();
    }
}
