using NetLlm.Abstractions.Encoders;

namespace NetLlm.Encoders.Standard;

/// <summary>Provides <see cref="SeriesCnnEncoder"/> as <c>encoder.series-cnn</c>.</summary>
public sealed class SeriesCnnEncoderProvider : IEncoderProvider
{
    /// <inheritdoc />
    public string Id => "encoder.series-cnn";

    /// <inheritdoc />
    public string Modality => "series";

    /// <inheritdoc />
    public string Description => "1D-CNN over a short series: [batch, in_channels, length] -> [batch, 1, d]";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["length"] = "series length (required)",
        ["in_channels"] = "input channels (default 1)",
        ["channels"] = "convolution channels (default 256)",
        ["kernel"] = "kernel size (default 4)",
    };

    /// <inheritdoc />
    public IModalityEncoder Create(EncoderSpec spec)
    {
        if (!spec.Settings.ContainsKey("length"))
        {
            throw new ArgumentException("encoder.series-cnn needs the setting 'length'");
        }

        return new SeriesCnnEncoder(spec.EmbeddingDim, spec.Int("length", 0), spec.Int("in_channels", 1), spec.Int("channels", 256), spec.Int("kernel", 4));
    }
}

/// <summary>Provides <see cref="ScalarMlpEncoder"/> as <c>encoder.scalar-mlp</c>.</summary>
public sealed class ScalarMlpEncoderProvider : IEncoderProvider
{
    /// <inheritdoc />
    public string Id => "encoder.scalar-mlp";

    /// <inheritdoc />
    public string Modality => "scalar";

    /// <inheritdoc />
    public string Description => "MLP over scalar features: [batch, features] -> [batch, 1, d]";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["features"] = "input features (default 1)",
        ["hidden"] = "hidden width (default 256)",
    };

    /// <inheritdoc />
    public IModalityEncoder Create(EncoderSpec spec) =>
        new ScalarMlpEncoder(spec.EmbeddingDim, spec.Int("features", 1), spec.Int("hidden", 256));
}
