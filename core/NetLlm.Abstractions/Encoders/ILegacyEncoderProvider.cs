namespace NetLlm.Abstractions.Encoders;

/// <summary>Creates encoders of one kind. Exported through MEF by encoder plugins.</summary>
public interface ILegacyEncoderProvider
{
    /// <summary>Encoder id, for example <c>encoder.series-cnn</c>.</summary>
    string Id { get; }

    /// <summary>Modality it encodes.</summary>
    string Modality { get; }

    /// <summary>One-line description including the input shape it expects.</summary>
    string Description { get; }

    /// <summary>Names and meanings of the settings <see cref="Create"/> accepts.</summary>
    IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Creates an encoder; the caller owns (disposes) its module.</summary>
    /// <param name="spec">Output width and settings.</param>
    IModalityEncoder Create(EncoderSpec spec);
}

/// <summary>What an encoder is created with.</summary>
/// <param name="EmbeddingDim">Output token width.</param>
/// <param name="Settings">Encoder-specific settings (see <see cref="ILegacyEncoderProvider.Settings"/>).</param>
public sealed record EncoderSpec(int EmbeddingDim, IReadOnlyDictionary<string, double> Settings)
{
    /// <summary>Setting <paramref name="name"/> as an integer, or <paramref name="fallback"/> when absent.</summary>
    /// <param name="name">Setting name.</param>
    /// <param name="fallback">Default.</param>
    public int Int(string name, int fallback) => Settings.TryGetValue(name, out var v) ? checked((int)v) : fallback;

    /// <summary>Setting <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    /// <param name="name">Setting name.</param>
    /// <param name="fallback">Default.</param>
    public double Real(string name, double fallback) => Settings.TryGetValue(name, out var v) ? v : fallback;
}
