using NetLlm.Abstractions.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Core.Encoders;

/// <summary>
/// An encoder slot switched off for an ablation (<c>--encoder SLOT=off</c>): the slot keeps its place in the token
/// sequence, but its tokens are zeros of the shape the slot's encoder would produce, so the backbone learns nothing
/// from that feature. The wrapped encoder only supplies the shape; it receives no gradient.
/// </summary>
public sealed class SwitchedOffEncoder : IModalityEncoder<Tensor>
{
    /// <summary>The id a run records for a switched-off slot (<c>--encoder SLOT=off</c>).</summary>
    public const string Id = "off";

    private readonly IModalityEncoder<Tensor, Tensor> _shape;

    /// <summary>Wraps the slot's encoder.</summary>
    /// <param name="shape">The encoder the slot would use (its output shape and dtype are kept).</param>
    public SwitchedOffEncoder(IModalityEncoder<Tensor, Tensor> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        _shape = shape;
        foreach (var p in shape.Module.parameters())
        {
            p.requires_grad = false;
        }
    }

    /// <inheritdoc />
    public string Modality => _shape.Modality;

    /// <inheritdoc />
    public int EmbeddingDim => _shape.EmbeddingDim;

    /// <inheritdoc />
    public nn.Module Module => _shape.Module;

    /// <inheritdoc />
    public int TokensPerItem => _shape.TokensPerItem;

    /// <inheritdoc />
    public Tensor Encode(Tensor input)
    {
        using var noGrad = torch.no_grad();
        using var scope = NewDisposeScope();
        var shaped = _shape.Encode(input);
        return zeros_like(shaped).MoveToOuterDisposeScope();
    }
}
