using NetLlm.Abstractions.Encoders;

namespace Sample.NetLlmEncoder;

/// <summary>
/// Provides <see cref="PatchSeriesEncoder"/> as <c>encoder.sample-patch</c>. Tasks find it with
/// <c>registry.GetLegacyEncoder("encoder.sample-patch")</c> and create one per model with the backbone's width.
/// </summary>
public sealed class PatchSeriesEncoderProvider : ILegacyEncoderProvider
{
    /// <summary>The encoder id.</summary>
    public const string EncoderId = "encoder.sample-patch";

    /// <inheritdoc />
    public string Id => EncoderId;

    /// <inheritdoc />
    public string Modality => "series";

    /// <inheritdoc />
    public string Description => "Patch encoder: [batch, channels, length] -> [batch, length / patch, d], one layer-normalised token per patch";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["length"] = "series length, a multiple of patch (required)",
        ["channels"] = "input channels (default 1)",
        ["patch"] = "samples per patch (default 4)",
    };

    /// <inheritdoc />
    public IModalityEncoder Create(EncoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.Settings.ContainsKey("length"))
        {
            throw new ArgumentException($"{EncoderId} needs the setting 'length'");
        }

        var unknown = spec.Settings.Keys.FirstOrDefault(k => !Settings.ContainsKey(k));
        if (unknown is not null)
        {
            throw new ArgumentException($"{EncoderId}: unknown setting '{unknown}' (settings: {string.Join(", ", Settings.Keys)})");
        }

        return new PatchSeriesEncoder(spec.EmbeddingDim, spec.Int("length", 0), spec.Int("channels", 1), spec.Int("patch", 4));
    }
}
