using System.Text.Json.Serialization;
using NetLlm.Backbones.Llama;
using NetLlm.Transformers.Config;

namespace NetLlm.Backbones.Mistral;

/// <summary>
/// Hugging Face <c>MistralConfig</c>: the Llama keys (with Mistral's defaults) plus <c>sliding_window</c>.
/// </summary>
public sealed class MistralConfig : LlamaConfig
{
    /// <summary>Creates a config with the Hugging Face Mistral defaults (Mistral-7B shapes).</summary>
    public MistralConfig()
    {
        ModelType = "mistral";
        IntermediateSize = 14336;
        NumKeyValueHeads = 8;
        MaxPositionEmbeddings = 4096 * 32;
    }

    /// <summary>Attention window <c>W</c>: each query sees itself and the <c>W</c> previous positions; null disables it.</summary>
    [JsonPropertyName("sliding_window")]
    public int? SlidingWindow { get; set; } = 4096;

    /// <inheritdoc />
    [JsonIgnore]
    public override string Architecture => "MistralForCausalLM";

    /// <inheritdoc />
    public override void Validate(string source)
    {
        base.Validate(source);
        HfConfigReader.Require(SlidingWindow is null or > 0, source, $"sliding_window must be positive or null, got {SlidingWindow}");
    }
}
