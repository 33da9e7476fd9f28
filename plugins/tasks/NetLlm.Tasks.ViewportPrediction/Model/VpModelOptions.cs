using System.Globalization;

namespace NetLlm.Tasks.ViewportPrediction.Model;

/// <summary>
/// Settings of the NetLLM viewport model. Recorded in a run directory as strings (<see cref="ToSettings"/>) and read
/// back with <see cref="FromSettings"/>.
/// </summary>
public sealed record VpModelOptions
{
    /// <summary>Probability of training a batch autoregressively instead of with teacher forcing (scheduled sampling).</summary>
    public double MixRate { get; init; } = 0.04;

    /// <summary>Prepend one image token (a projected image feature) to every sequence.</summary>
    public bool UseImageToken { get; init; }

    /// <summary>Width of the image feature (768 for a ViT-B/16 CLS feature).</summary>
    public int ImageFeatureDim { get; init; } = 768;

    /// <summary>Convolution channels of the viewport encoder (the original: 256).</summary>
    public int ConvChannels { get; init; } = 256;

    /// <summary>
    /// The original's behaviour: tokens appended during autoregressive decoding skip the layer norm that teacher
    /// forcing applies (a train/test mismatch). Off by default (every token is normalised).
    /// </summary>
    public bool OriginalSkipLayerNormOnAppended { get; init; }

    /// <summary>The original's behaviour: the viewport convolution is never trained (it is not given to the optimizer).</summary>
    public bool FreezeViewportConvolution { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for out-of-range settings.</summary>
    public VpModelOptions Validate()
    {
        if (MixRate is < 0 or > 1 || double.IsNaN(MixRate))
        {
            throw new ArgumentException($"vp model: mix_rate {MixRate} must be within [0, 1]");
        }

        if (ImageFeatureDim < 1 || ConvChannels < 1)
        {
            throw new ArgumentException("vp model: image_feature_dim and conv_channels must be positive");
        }

        return this;
    }

    /// <summary>The settings as strings.</summary>
    public IReadOnlyDictionary<string, string> ToSettings() => new Dictionary<string, string>
    {
        ["mix_rate"] = MixRate.ToString("R", CultureInfo.InvariantCulture),
        ["image_token"] = UseImageToken ? "true" : "false",
        ["image_feature_dim"] = ImageFeatureDim.ToString(CultureInfo.InvariantCulture),
        ["conv_channels"] = ConvChannels.ToString(CultureInfo.InvariantCulture),
        ["original_skip_ln_on_appended"] = OriginalSkipLayerNormOnAppended ? "true" : "false",
        ["freeze_vp_conv"] = FreezeViewportConvolution ? "true" : "false",
    };

    /// <summary>Reads settings written by <see cref="ToSettings"/> (missing keys keep their defaults).</summary>
    /// <param name="settings">Settings by name.</param>
    public static VpModelOptions FromSettings(IReadOnlyDictionary<string, string> settings)
    {
        var defaults = new VpModelOptions();
        return new VpModelOptions
        {
            MixRate = settings.TryGetValue("mix_rate", out var m) ? ParseReal("mix_rate", m) : defaults.MixRate,
            UseImageToken = settings.TryGetValue("image_token", out var i) ? ParseFlag("image_token", i) : defaults.UseImageToken,
            ImageFeatureDim = settings.TryGetValue("image_feature_dim", out var d) ? ParseInt("image_feature_dim", d) : defaults.ImageFeatureDim,
            ConvChannels = settings.TryGetValue("conv_channels", out var c) ? ParseInt("conv_channels", c) : defaults.ConvChannels,
            OriginalSkipLayerNormOnAppended = settings.TryGetValue("original_skip_ln_on_appended", out var s) && ParseFlag("original_skip_ln_on_appended", s),
            FreezeViewportConvolution = settings.TryGetValue("freeze_vp_conv", out var f) && ParseFlag("freeze_vp_conv", f),
        }.Validate();
    }

    private static double ParseReal(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"vp model setting {name}: '{value}' is not a number");

    private static int ParseInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"vp model setting {name}: '{value}' is not an integer");

    private static bool ParseFlag(string name, string value) =>
        value.Length == 0 || (bool.TryParse(value, out var b) ? b : throw new ArgumentException($"vp model setting {name}: '{value}' is not true or false"));
}
