using NetLlm.Abstractions.Encoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Encoders.Standard;

/// <summary>
/// Encodes a vector of scalar features into one token: <c>Linear(features, hidden)</c>, LeakyReLU,
/// <c>Linear(hidden, d)</c>. NetLLM's encoder for the last bitrate, buffer level and remaining chunks (ABR).
/// Input <c>[batch, features]</c>; output <c>[batch, 1, d]</c>.
/// </summary>
public sealed class ScalarMlpEncoder : nn.Module<Tensor, Tensor>, IModalityEncoder<Tensor>
{
    // LeakyReLU's slope as a process-lifetime scalar: a temporary from `leaky_relu(x, 0.01)` can be finalized while
    // libtorch still reads it (see NetLlm.Core.Modules.LeakyRelu).
    private static readonly Scalar NegativeSlope = 0.01.ToScalar();

#pragma warning disable IDE1006 // state-dict names
    private readonly Linear fc;
    private readonly Linear proj;
#pragma warning restore IDE1006
    private readonly int _features;

    /// <summary>Creates the encoder.</summary>
    /// <param name="embeddingDim">Output width d.</param>
    /// <param name="features">Input features.</param>
    /// <param name="hidden">Hidden width.</param>
    public ScalarMlpEncoder(int embeddingDim, int features = 1, int hidden = 256)
        : base(nameof(ScalarMlpEncoder))
    {
        if (embeddingDim < 1 || features < 1 || hidden < 1)
        {
            throw new ArgumentException("scalar-mlp: embedding_dim, features and hidden must be positive");
        }

        EmbeddingDim = embeddingDim;
        _features = features;
        fc = nn.Linear(features, hidden);
        proj = nn.Linear(hidden, embeddingDim);
        RegisterComponents();
    }

    /// <inheritdoc />
    public string Modality => "scalar";

    /// <inheritdoc />
    public int EmbeddingDim { get; }

    /// <inheritdoc />
    public int TokensPerItem => 1;

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <inheritdoc />
    public Tensor Encode(Tensor input) => forward(input);

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 2 || input.shape[1] != _features)
        {
            throw new ArgumentException($"scalar-mlp expects [batch, {_features}], got [{string.Join(", ", input.shape)}]");
        }

        using var scope = NewDisposeScope();
        var h = fc.forward(input).leaky_relu(NegativeSlope);
        return proj.forward(h).unsqueeze(1).MoveToOuterDisposeScope();
    }
}
