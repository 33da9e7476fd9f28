using System.Globalization;

namespace Sample.NetLlmTask.Model;

/// <summary>
/// Settings of <see cref="ThroughputModel"/>, given with <c>--model-settings key=value,...</c> and recorded in the run
/// directory so the same model is rebuilt at test time.
/// </summary>
/// <param name="ScaleMbps">Throughputs are divided by this before encoding and predictions multiplied by it.</param>
/// <param name="EncoderHidden">Hidden width of the history encoder.</param>
public sealed record ThroughputModelSettings(double ScaleMbps = 5.0, int EncoderHidden = 64)
{
    /// <summary>Reads the settings; unknown keys and bad values throw naming the key.</summary>
    /// <param name="settings">Key/value pairs (<c>scale</c>, <c>encoder_hidden</c>).</param>
    public static ThroughputModelSettings From(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var known = new[] { "scale", "encoder_hidden" };
        var unknown = settings.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.Ordinal));
        if (unknown is not null)
        {
            throw new ArgumentException($"option --model-settings: unknown key '{unknown}' (known: {string.Join(", ", known)})");
        }

        var scale = settings.TryGetValue("scale", out var s) ? ParseReal("scale", s) : 5.0;
        var hidden = settings.TryGetValue("encoder_hidden", out var h) ? (int)ParseReal("encoder_hidden", h) : 64;
        if (scale <= 0 || hidden < 1)
        {
            throw new ArgumentException("option --model-settings: scale must be positive and encoder_hidden at least 1");
        }

        return new ThroughputModelSettings(scale, hidden);
    }

    private static double ParseReal(string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d
            : throw new ArgumentException($"option --model-settings: {key}='{value}' is not a number");
}
