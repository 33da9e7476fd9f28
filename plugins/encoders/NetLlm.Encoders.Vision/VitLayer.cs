using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Encoders.Vision;

/// <summary>
/// One pre-norm ViT encoder layer with Hugging Face names: <c>layernorm_before</c>,
/// <c>attention.attention.{query,key,value}</c>, <c>attention.output.dense</c>, <c>layernorm_after</c>,
/// <c>intermediate.dense</c>, <c>output.dense</c>.
/// </summary>
internal sealed class VitLayer : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly LayerNorm layernorm_before;
    private readonly VitAttention attention;
    private readonly LayerNorm layernorm_after;
    private readonly VitDense intermediate;
    private readonly VitDense output;
#pragma warning restore IDE1006

    public VitLayer(VitConfig config)
        : base(nameof(VitLayer))
    {
        layernorm_before = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        attention = new VitAttention(config);
        layernorm_after = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        intermediate = new VitDense(config.HiddenSize, config.IntermediateSize);
        output = new VitDense(config.IntermediateSize, config.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = input + attention.forward(layernorm_before.forward(input));
        var mlp = output.forward(nn.functional.gelu(intermediate.forward(layernorm_after.forward(hidden))));
        return (hidden + mlp).MoveToOuterDisposeScope();
    }
}

/// <summary>Multi-head self-attention: <c>attention.{query,key,value}</c> and <c>output.dense</c>.</summary>
internal sealed class VitAttention : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly VitSelfAttention attention;
    private readonly VitDense output;
#pragma warning restore IDE1006

    public VitAttention(VitConfig config)
        : base(nameof(VitAttention))
    {
        attention = new VitSelfAttention(config);
        output = new VitDense(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return output.forward(attention.forward(input)).MoveToOuterDisposeScope();
    }
}

/// <summary>Query, key and value projections and scaled dot-product attention over all tokens (no mask).</summary>
internal sealed class VitSelfAttention : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
#pragma warning restore IDE1006
    private readonly int _heads;

    public VitSelfAttention(VitConfig config)
        : base(nameof(VitSelfAttention))
    {
        _heads = config.NumAttentionHeads;
        query = nn.Linear(config.HiddenSize, config.HiddenSize, config.QkvBias);
        key = nn.Linear(config.HiddenSize, config.HiddenSize, config.QkvBias);
        value = nn.Linear(config.HiddenSize, config.HiddenSize, config.QkvBias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var batch = input.shape[0];
        var tokens = input.shape[1];
        var width = input.shape[2];
        var headDim = width / _heads;
        Tensor Split(Tensor t) => t.view(batch, tokens, _heads, headDim).transpose(1, 2);
        var q = Split(query.forward(input));
        var k = Split(key.forward(input));
        var v = Split(value.forward(input));
        var scores = matmul(q, k.transpose(2, 3)) / Math.Sqrt(headDim);
        var context = matmul(scores.softmax(-1), v).transpose(1, 2).reshape(batch, tokens, width);
        return context.MoveToOuterDisposeScope();
    }
}

/// <summary>A linear layer stored as <c>dense</c> (Hugging Face's ViT output/intermediate blocks).</summary>
internal sealed class VitDense : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Linear dense;
#pragma warning restore IDE1006

    public VitDense(long inFeatures, long outFeatures)
        : base(nameof(VitDense))
    {
        dense = nn.Linear(inFeatures, outFeatures);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => dense.forward(input);
}
