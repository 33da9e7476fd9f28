using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Options;
using TorchSharp;

namespace Sample.NetLlmEncoder;

/// <summary>Options of <c>encoder.sample-patch</c> (command line: <c>--encoder-option SLOT.patch=8</c>, or a slot's default options).</summary>
public sealed record PatchOptions
{
    /// <summary>Samples per patch (one token each).</summary>
    [Option("samples per patch; one token per patch", Minimum = 1, Maximum = 4096)]
    public int Patch { get; init; } = 4;
}

/// <summary>
/// Provides <see cref="PatchSeriesEncoder"/> as <c>encoder.sample-patch</c> (modality <c>sample-modality</c>). The
/// engine creates one for every task encoder slot that names it (its default encoder, or <c>--encoder SLOT=ID</c>):
/// the slot's item shape <c>[channels, length]</c> sets the input, the slot's width the token width.
/// </summary>
public sealed class PatchSeriesEncoderProvider : IEncoderProvider<PatchOptions>
{
    /// <summary>The encoder id.</summary>
    public const string EncoderId = "encoder.sample-patch";

    /// <summary>The modality it encodes (template parameter Modality); it fills slots of this modality.</summary>
    public const string EncoderModality = "sample-modality";

    /// <inheritdoc />
    public string Id => EncoderId;

    /// <inheritdoc />
    public string Modality => EncoderModality;

    /// <inheritdoc />
    public string Description => "Patch encoder: [batch, channels, length] -> [batch, ceil(length / patch), d], one layer-normalised token per patch";

    /// <inheritdoc />
    public Type InputType => typeof(torch.Tensor);

    /// <inheritdoc />
    public Type OutputType => typeof(torch.Tensor);

    /// <inheritdoc />
    public IModalityEncoder Create(EncoderContext context, PatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (context.ItemShape.Count != 2)
        {
            throw new ArgumentException($"{EncoderId} encodes items of shape [channels, length], not [{string.Join(", ", context.ItemShape)}]");
        }

        return new PatchSeriesEncoder(context.Width, checked((int)context.ItemShape[1]), checked((int)context.ItemShape[0]), options.Patch);
    }
}
