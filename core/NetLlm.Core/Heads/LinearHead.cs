using NetLlm.Abstractions.Models;
using NetLlm.Core.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Core.Heads;

/// <summary>
/// The engine's networking heads: a linear layer <c>Linear(d, outputs)</c> whose parameters are the module's own
/// <c>weight</c> and <c>bias</c> (state-dict names <c>&lt;head&gt;.weight</c>, <c>&lt;head&gt;.bias</c>), initialised as
/// PyTorch's <c>nn.Linear</c>. A categorical head returns logits with invalid choices set to <see cref="MaskedLogit"/>,
/// so argmax and sampling always yield a valid choice; a bounded head returns <c>tanh</c> of the layer.
/// </summary>
public sealed class LinearHead : nn.Module, INetworkingHead
{
    /// <summary>Logit given to invalid choices.</summary>
    public const float MaskedLogit = -1e9f;

    private readonly Parameter _weight;
    private readonly Parameter _bias;

    /// <summary>Creates the head with <c>nn.Linear</c>'s initialisation (seed it with <c>torch.manual_seed</c>).</summary>
    /// <param name="inputDim">Feature width d.</param>
    /// <param name="outputs">Choices or bounded values.</param>
    /// <param name="kind">Categorical or bounded.</param>
    public LinearHead(int inputDim, int outputs, HeadKind kind)
        : base(nameof(LinearHead))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        InputDim = inputDim;
        Outputs = outputs;
        Kind = kind;
        using var linear = nn.Linear(inputDim, outputs);
        _weight = new Parameter(linear.weight!.detach().clone());
        _bias = new Parameter(linear.bias!.detach().clone());
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
    }

    /// <inheritdoc />
    public int InputDim { get; }

    /// <inheritdoc />
    public int Outputs { get; }

    /// <summary>Categorical or bounded.</summary>
    public HeadKind Kind { get; }

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <summary>The weight <c>[outputs, d]</c>.</summary>
    public Parameter Weight => _weight;

    /// <inheritdoc />
    public Tensor Forward(Tensor features, Tensor? validMask = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.shape[^1] != InputDim)
        {
            throw new ArgumentException($"head expects features [..., {InputDim}], got [{string.Join(", ", features.shape)}]", nameof(features));
        }

        using var scope = NewDisposeScope();
        var input = features.dtype == _weight.dtype ? features : features.to_type(_weight.dtype);
        var output = nn.functional.linear(input, _weight, _bias);
        if (Kind == HeadKind.Bounded)
        {
            return output.tanh().MoveToOuterDisposeScope();
        }

        if (validMask is not null)
        {
            output = output.masked_fill(validMask.logical_not(), CachedScalars.Of(MaskedLogit));
        }

        return output.MoveToOuterDisposeScope();
    }
}
