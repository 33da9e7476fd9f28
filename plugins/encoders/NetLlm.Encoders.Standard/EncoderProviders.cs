using NetLlm.Abstractions.Encoders;
using TorchSharp;

namespace NetLlm.Encoders.Standard;

/// <summary>
/// Provides <see cref="SeriesCnnEncoder"/> as <c>encoder.series-cnn</c> (modality <c>series</c>): a slot's item shape
/// <c>[channels, length]</c> sets the convolution's input, the options its width and kernel.
/// </summary>
public sealed class SeriesCnnEncoderProvider : IEncoderProvider<SeriesCnnOptions>
{
    /// <inheritdoc />
    public string Id => "encoder.series-cnn";

    /// <inheritdoc />
    public string Modality => "series";

    /// <inheritdoc />
    public string Description => "1D-CNN over a short series: [batch, channels, length] -> [batch, 1, d]";

    /// <inheritdoc />
    public Type InputType => typeof(torch.Tensor);

    /// <inheritdoc />
    public Type OutputType => typeof(torch.Tensor);

    /// <inheritdoc />
    public IModalityEncoder Create(EncoderContext context, SeriesCnnOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (context.ItemShape.Count != 2)
        {
            throw new ArgumentException($"encoder.series-cnn encodes items of shape [channels, length], not [{string.Join(", ", context.ItemShape)}]");
        }

        return new SeriesCnnEncoder(context.Width, checked((int)context.ItemShape[1]), checked((int)context.ItemShape[0]), options.Channels, options.Kernel);
    }
}

/// <summary>Provides <see cref="ScalarMlpEncoder"/> as <c>encoder.scalar-mlp</c> (modality <c>scalar</c>): items of shape <c>[features]</c>.</summary>
public sealed class ScalarMlpEncoderProvider : IEncoderProvider<ScalarMlpOptions>
{
    /// <inheritdoc />
    public string Id => "encoder.scalar-mlp";

    /// <inheritdoc />
    public string Modality => "scalar";

    /// <inheritdoc />
    public string Description => "MLP over scalar features: [batch, features] -> [batch, 1, d]";

    /// <inheritdoc />
    public Type InputType => typeof(torch.Tensor);

    /// <inheritdoc />
    public Type OutputType => typeof(torch.Tensor);

    /// <inheritdoc />
    public IModalityEncoder Create(EncoderContext context, ScalarMlpOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (context.ItemShape.Count != 1)
        {
            throw new ArgumentException($"encoder.scalar-mlp encodes items of shape [features], not [{string.Join(", ", context.ItemShape)}]");
        }

        return new ScalarMlpEncoder(context.Width, checked((int)context.ItemShape[0]), options.Hidden);
    }
}
