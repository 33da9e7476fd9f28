using NetLlm.Abstractions.Encoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sample.NetLlmEncoder;

/// <summary>
/// Encodes a multichannel time series as a short sequence of tokens, one per patch of consecutive samples (the
/// patching of PatchTST): the series, padded at its end with zeros to a multiple of <c>patch</c>, is cut into
/// <c>ceil(length / patch)</c> non-overlapping patches, each patch
/// (<c>channels x patch</c> values) is projected by <c>Linear(channels * patch, d)</c>, a learned embedding of the patch
/// index is added, and every token is layer-normalised.
/// <list type="bullet">
/// <item>Input: <c>[batch, channels, length]</c>, float32 (borrowed, not disposed).</item>
/// <item>Output: <c>[batch, ceil(length / patch), d]</c>, float32, a new tensor owned by the caller.</item>
/// </list>
/// A token depends only on its own patch, so the backbone sees the series at patch resolution.
/// </summary>
public sealed class PatchSeriesEncoder : nn.Module<Tensor, Tensor>, IModalityEncoder<Tensor>
{
    private readonly Linear proj;
    private readonly Parameter position;
    private readonly LayerNorm norm;
    private readonly int _channels;
    private readonly int _length;
    private readonly int _patch;

    /// <summary>Creates the encoder (PyTorch's default initialisation; seed it with <c>torch.manual_seed</c>).</summary>
    /// <param name="embeddingDim">Token width d.</param>
    /// <param name="length">Series length (padded to a multiple of <paramref name="patch"/>).</param>
    /// <param name="channels">Input channels.</param>
    /// <param name="patch">Samples per patch.</param>
    public PatchSeriesEncoder(int embeddingDim, int length, int channels = 1, int patch = 4)
        : base(nameof(PatchSeriesEncoder))
    {
        if (embeddingDim < 1 || channels < 1 || patch < 1 || length < 1)
        {
            throw new ArgumentException($"patch encoder: embedding dim {embeddingDim}, channels {channels}, length {length} and patch {patch} must be positive");
        }

        EmbeddingDim = embeddingDim;
        _channels = channels;
        _length = length;
        _patch = patch;
        proj = nn.Linear(channels * patch, embeddingDim);
        position = new Parameter(randn((length + patch - 1) / patch, embeddingDim) * 0.02);
        norm = nn.LayerNorm(embeddingDim);
        RegisterComponents();
    }

    /// <inheritdoc />
    public string Modality => PatchSeriesEncoderProvider.EncoderModality;

    /// <inheritdoc />
    public int EmbeddingDim { get; }

    /// <inheritdoc />
    public int TokensPerItem => (_length + _patch - 1) / _patch;

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <inheritdoc />
    public Tensor Encode(Tensor input) => forward(input);

    /// <summary>Encodes a batch: <c>[batch, channels, length]</c> to <c>[batch, ceil(length / patch), d]</c> (new tensor).</summary>
    /// <param name="input">The series (borrowed).</param>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 3 || input.shape[1] != _channels || input.shape[2] != _length)
        {
            throw new ArgumentException($"patch encoder expects [batch, {_channels}, {_length}], got [{string.Join(", ", input.shape)}]");
        }

        using var scope = NewDisposeScope();
        var batch = input.shape[0];
        var padded = TokensPerItem * _patch == _length
            ? input.to_type(ScalarType.Float32)
            : nn.functional.pad(input.to_type(ScalarType.Float32), [0, (TokensPerItem * _patch) - _length]);
        var patches = padded
            .reshape(batch, _channels, TokensPerItem, _patch)
            .permute(0, 2, 1, 3)
            .reshape(batch, TokensPerItem, _channels * _patch);
        var tokens = proj.forward(patches) + position;
        return norm.forward(tokens).MoveToOuterDisposeScope();
    }
}
