using NetLlm.Abstractions.Encoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Encoders.Standard;

/// <summary>
/// Encodes a short time series into one token: <c>Conv1d(channels_in, channels, kernel)</c>, LeakyReLU,
/// channel-major flatten, then <c>Linear(channels · (length − kernel + 1), d)</c>. This is NetLLM's encoder for
/// throughput, delay and chunk-size histories (ABR) and for viewport coordinates (VP).
/// Input <c>[batch, channels_in, length]</c>; output <c>[batch, 1, d]</c>.
/// </summary>
public sealed class SeriesCnnEncoder : nn.Module<Tensor, Tensor>, IModalityEncoder<Tensor>
{
    // LeakyReLU's slope as a process-lifetime scalar: a temporary from `leaky_relu(x, 0.01)` can be finalized while
    // libtorch still reads it (see NetLlm.Core.Modules.LeakyRelu).
    private static readonly Scalar NegativeSlope = 0.01.ToScalar();

#pragma warning disable IDE1006 // state-dict names
    private readonly Conv1d conv;
    private readonly Linear proj;
#pragma warning restore IDE1006
    private readonly int _length;
    private readonly int _inChannels;

    /// <summary>Creates the encoder.</summary>
    /// <param name="embeddingDim">Output width d.</param>
    /// <param name="length">Series length.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="channels">Convolution channels.</param>
    /// <param name="kernel">Convolution kernel size (at most <paramref name="length"/>).</param>
    public SeriesCnnEncoder(int embeddingDim, int length, int inChannels = 1, int channels = 256, int kernel = 4)
        : base(nameof(SeriesCnnEncoder))
    {
        if (length < 1 || kernel < 1 || kernel > length)
        {
            throw new ArgumentException($"series-cnn: kernel {kernel} must be between 1 and the series length {length}");
        }

        if (embeddingDim < 1 || channels < 1 || inChannels < 1)
        {
            throw new ArgumentException("series-cnn: embedding_dim, channels and in_channels must be positive");
        }

        EmbeddingDim = embeddingDim;
        _length = length;
        _inChannels = inChannels;
        conv = nn.Conv1d(inChannels, channels, kernel);
        proj = nn.Linear(channels * (length - kernel + 1), embeddingDim);
        RegisterComponents();
    }

    /// <inheritdoc />
    public string Modality => "series";

    /// <inheritdoc />
    public int EmbeddingDim { get; }

    /// <inheritdoc />
    public int TokensPerItem => 1;

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <summary>Output width of the convolution stage before the projection (channels · positions).</summary>
    public long FeatureDim => proj.in_features;

    /// <inheritdoc />
    public Tensor Encode(Tensor input) => forward(input);

    /// <summary>Features before the projection <c>[batch, channels · positions]</c> (new tensor, caller owns).</summary>
    /// <param name="input">Series <c>[batch, channels_in, length]</c> (borrowed).</param>
    public Tensor Features(Tensor input)
    {
        if (input.dim() != 3 || input.shape[1] != _inChannels || input.shape[2] != _length)
        {
            throw new ArgumentException($"series-cnn expects [batch, {_inChannels}, {_length}], got [{string.Join(", ", input.shape)}]");
        }

        using var scope = NewDisposeScope();
        var h = conv.forward(input).leaky_relu(NegativeSlope);
        return h.flatten(1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var features = Features(input);
        return proj.forward(features).unsqueeze(1).MoveToOuterDisposeScope();
    }
}
