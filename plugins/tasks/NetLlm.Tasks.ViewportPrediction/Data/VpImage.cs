namespace NetLlm.Tasks.ViewportPrediction.Data;

/// <summary>
/// The frame shown when a sample's future starts, as the model's image token reads it: either its feature — the
/// image encoder's output for the frame, precomputed and cached in a file, used as it is (the encoder is bypassed) —
/// or its pixels, which the model's image encoder encodes. Samples of one frame share one instance. Plain arrays;
/// nothing to dispose.
/// </summary>
public sealed class VpImage
{
    private VpImage(string key, string source, float[]? feature, float[]? pixels, IReadOnlyList<int> pixelShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        Key = key;
        Source = source;
        Feature = feature;
        Pixels = pixels;
        PixelShape = pixelShape;
    }

    /// <summary>Which frame it is, for example <c>Jin2022 video 4 frame 174</c> (the key of the model's cache of encoder outputs).</summary>
    public string Key { get; }

    /// <summary>The file it was read from (for messages).</summary>
    public string Source { get; }

    /// <summary>The precomputed feature <c>[dim]</c> (the image encoder's output), or null for pixels.</summary>
    public float[]? Feature { get; }

    /// <summary>The pixels <c>[channels, height, width]</c>, row-major, values in [0, 1], or null for a feature.</summary>
    public float[]? Pixels { get; }

    /// <summary>Shape of <see cref="Pixels"/> (<c>[channels, height, width]</c>); empty for a feature.</summary>
    public IReadOnlyList<int> PixelShape { get; }

    /// <summary>A frame given by its precomputed feature.</summary>
    /// <param name="key">Which frame.</param>
    /// <param name="source">File it came from.</param>
    /// <param name="feature">The encoder's output for the frame.</param>
    public static VpImage FromFeature(string key, string source, float[] feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return feature.Length == 0 ? throw new ArgumentException($"{source}: {key} has an empty feature") : new VpImage(key, source, feature, null, []);
    }

    /// <summary>A frame given by its pixels.</summary>
    /// <param name="key">Which frame.</param>
    /// <param name="source">File it came from.</param>
    /// <param name="pixels">Pixels <c>[channels, height, width]</c> in [0, 1].</param>
    /// <param name="shape">Channels, height and width.</param>
    public static VpImage FromPixels(string key, string source, float[] pixels, IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count != 3 || shape.Any(s => s < 1) || pixels.Length != shape[0] * shape[1] * shape[2])
        {
            throw new ArgumentException($"{source}: {key} has {pixels.Length} pixel values for shape [{string.Join(", ", shape)}] (expected [channels, height, width])");
        }

        return new VpImage(key, source, null, pixels, shape);
    }
}
