using System.Globalization;

namespace NetLlm.Tasks.AdaptiveBitrate.Model;

/// <summary>
/// Settings of the NetLLM ABR model, recorded in a run directory: <c>state_feature_dim</c> (width of the per-feature
/// encoders, the original's 256) and <c>conv_size</c> (kernel of the throughput and delay convolutions, 4).
/// </summary>
/// <param name="StateFeatureDim">Encoder width (fc hidden units and conv channels).</param>
/// <param name="ConvSize">Kernel size of the two history convolutions (1 to 6).</param>
public sealed record AbrModelSettings(int StateFeatureDim = 256, int ConvSize = 4)
{
    /// <summary>Setting name of <see cref="StateFeatureDim"/>.</summary>
    public const string StateFeatureDimKey = "state_feature_dim";

    /// <summary>Setting name of <see cref="ConvSize"/>.</summary>
    public const string ConvSizeKey = "conv_size";

    /// <summary>Reads settings (missing keys take the original's values); throws naming a bad key.</summary>
    /// <param name="settings">Name/value pairs.</param>
    public static AbrModelSettings Parse(IReadOnlyDictionary<string, string>? settings)
    {
        var result = new AbrModelSettings();
        if (settings is null)
        {
            return result;
        }

        foreach (var (key, value) in settings)
        {
            if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            {
                throw new ArgumentException($"abr model setting {key}: '{value}' is not an integer");
            }

            result = key switch
            {
                StateFeatureDimKey => result with { StateFeatureDim = v },
                ConvSizeKey => result with { ConvSize = v },
                _ => throw new ArgumentException($"unknown abr model setting '{key}' (known: {StateFeatureDimKey}, {ConvSizeKey})"),
            };
        }

        if (result.StateFeatureDim < 1)
        {
            throw new ArgumentException($"abr model setting {StateFeatureDimKey} must be positive, got {result.StateFeatureDim}");
        }

        if (result.ConvSize is < 1 or > 6)
        {
            throw new ArgumentException($"abr model setting {ConvSizeKey} must be between 1 and 6 (the history length), got {result.ConvSize}");
        }

        return result;
    }

    /// <summary>The settings as name/value pairs (what a run directory records).</summary>
    public IReadOnlyDictionary<string, string> ToDictionary() => new Dictionary<string, string>
    {
        [StateFeatureDimKey] = StateFeatureDim.ToString(CultureInfo.InvariantCulture),
        [ConvSizeKey] = ConvSize.ToString(CultureInfo.InvariantCulture),
    };
}
