namespace NetLlm.Tasks.ViewportPrediction.Data;

/// <summary>
/// The original's normalisation to about [-1, 1]: roll / 180, pitch / 90, yaw / 180 (and its inverse). Works in place
/// on row-major <c>[rows, 3]</c> arrays or returns copies.
/// </summary>
public static class ViewportNormalization
{
    /// <summary>Scale of each axis: roll, pitch, yaw.</summary>
    public static IReadOnlyList<float> Scales { get; } = [180f, 90f, 180f];

    /// <summary>Axis names in column order.</summary>
    public static IReadOnlyList<string> AxisNames { get; } = ["roll", "pitch", "yaw"];

    /// <summary>Returns a normalised copy of degrees <c>[rows, 3]</c>.</summary>
    /// <param name="degrees">Angles in degrees.</param>
    public static float[] Normalize(ReadOnlySpan<float> degrees)
    {
        var result = degrees.ToArray();
        for (var i = 0; i < result.Length; i++)
        {
            result[i] /= Scales[i % 3];
        }

        return result;
    }

    /// <summary>Returns a copy of normalised angles <c>[rows, 3]</c> in degrees.</summary>
    /// <param name="normalized">Normalised angles.</param>
    public static float[] Denormalize(ReadOnlySpan<float> normalized)
    {
        var result = normalized.ToArray();
        for (var i = 0; i < result.Length; i++)
        {
            result[i] *= Scales[i % 3];
        }

        return result;
    }
}
