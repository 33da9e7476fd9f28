using NetLlm.Abstractions.Encoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sample.NetLlmTask.Model;

/// <summary>
/// Turns a throughput history into one token per sample: each step's features (the normalised throughput and its
/// change since the previous step) go through <c>Linear(2, hidden)</c>, GELU and <c>Linear(hidden, d)</c>.
/// Input <c>[batch, steps]</c> (float32); output <c>[batch, steps, d]</c> — the token count follows the history
/// length, so <see cref="TokensPerItem"/> is -1. The backbone's position encoding orders the tokens.
/// </summary>
public sealed class ThroughputHistoryEncoder : nn.Module<Tensor, Tensor>, IModalityEncoder<Tensor>
{
    private readonly Linear embed;
    private readonly Linear project;

    /// <summary>Creates the encoder with PyTorch's default initialisation (seed it with <c>torch.manual_seed</c>).</summary>
    /// <param name="embeddingDim">Token width d (the backbone's hidden size).</param>
    /// <param name="hidden">Hidden width.</param>
    public ThroughputHistoryEncoder(int embeddingDim, int hidden = 64)
        : base(nameof(ThroughputHistoryEncoder))
    {
        if (embeddingDim < 1 || hidden < 1)
        {
            throw new ArgumentException($"throughput encoder: embedding dim {embeddingDim} and hidden {hidden} must be positive");
        }

        EmbeddingDim = embeddingDim;
        embed = nn.Linear(2, hidden);
        project = nn.Linear(hidden, embeddingDim);
        RegisterComponents();
    }

    /// <inheritdoc />
    public string Modality => "series";

    /// <inheritdoc />
    public int EmbeddingDim { get; }

    /// <inheritdoc />
    public int TokensPerItem => -1;

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <inheritdoc />
    public Tensor Encode(Tensor input) => forward(input);

    /// <summary>Encodes <paramref name="input"/> (borrowed); returns a new tensor owned by the caller.</summary>
    /// <param name="input">Normalised throughputs <c>[batch, steps]</c>.</param>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 2 || input.shape[1] < 1)
        {
            throw new ArgumentException($"throughput encoder expects [batch, steps], got [{string.Join(", ", input.shape)}]");
        }

        using var scope = NewDisposeScope();
        var x = input.to_type(ScalarType.Float32);
        var previous = cat([x.narrow(1, 0, 1), x.narrow(1, 0, x.shape[1] - 1)], 1);
        var features = stack([x, x - previous], 2);
        var tokens = project.forward(nn.functional.gelu(embed.forward(features)));
        return tokens.MoveToOuterDisposeScope();
    }
}
