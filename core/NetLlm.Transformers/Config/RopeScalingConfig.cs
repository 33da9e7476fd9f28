using System.Text.Json.Serialization;

namespace NetLlm.Transformers.Config;

/// <summary>
/// The <c>rope_scaling</c> object of a Llama-family config. Only <c>linear</c> scaling (positions divided by
/// <see cref="Factor"/>) is implemented; other types are rejected when the config is validated.
/// </summary>
public sealed class RopeScalingConfig
{
    /// <summary>Scaling type (<c>type</c>, or <c>rope_type</c> in newer configs).</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>Newer spelling of <see cref="Type"/>.</summary>
    [JsonPropertyName("rope_type")]
    public string? RopeType { get; set; }

    /// <summary>Scaling factor.</summary>
    [JsonPropertyName("factor")]
    public double Factor { get; set; } = 1.0;

    /// <summary>The effective type name.</summary>
    [JsonIgnore]
    public string EffectiveType => Type ?? RopeType ?? "default";

    /// <summary>The divisor applied to positions: the factor for <c>linear</c>, 1 for <c>default</c>; throws otherwise.</summary>
    /// <param name="source">Config source for errors.</param>
    public double PositionDivisor(string source) => EffectiveType switch
    {
        "linear" => Factor > 0 ? Factor : throw new InvalidDataException($"{source}: rope_scaling.factor must be positive, got {Factor}"),
        "default" => 1.0,
        _ => throw new InvalidDataException($"{source}: rope_scaling type '{EffectiveType}' is not supported (supported: linear)"),
    };
}
