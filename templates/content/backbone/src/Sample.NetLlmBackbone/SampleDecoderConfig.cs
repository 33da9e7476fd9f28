using System.Text.Json.Serialization;
using NetLlm.Transformers.Config;
using NetLlm.Transformers.Modules;

namespace Sample.NetLlmBackbone;

/// <summary>
/// The family's config.json (Hugging Face conventions): keys marked <see cref="HfRequiredAttribute"/> must be present
/// in a model folder's config; unknown keys are errors (NetLlm.Transformers' <see cref="HfConfigReader"/>).
/// </summary>
public sealed class SampleDecoderConfig : IHfConfig
{
    /// <summary>The <c>model_type</c> this family loads.</summary>
    public const string Type = "sample-decoder";

    /// <summary><c>model_type</c>.</summary>
    [JsonPropertyName("model_type")]
    public string ModelType { get; set; } = Type;

    /// <summary>Vocabulary size (rows of <c>embed_tokens</c>).</summary>
    [HfRequired]
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; set; }

    /// <summary>Hidden width d.</summary>
    [HfRequired]
    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; set; }

    /// <summary>Decoder layers.</summary>
    [HfRequired]
    [JsonPropertyName("num_hidden_layers")]
    public int NumHiddenLayers { get; set; }

    /// <summary>Attention heads (d must divide by it).</summary>
    [HfRequired]
    [JsonPropertyName("num_attention_heads")]
    public int NumAttentionHeads { get; set; }

    /// <summary>MLP width.</summary>
    [HfRequired]
    [JsonPropertyName("intermediate_size")]
    public int IntermediateSize { get; set; }

    /// <summary>Learned positions (rows of <c>embed_positions</c>).</summary>
    [HfRequired]
    [JsonPropertyName("max_position_embeddings")]
    public int MaxPositionEmbeddings { get; set; }

    /// <summary>MLP activation (a name NetLlm.Transformers' <see cref="Activations"/> knows).</summary>
    [JsonPropertyName("hidden_act")]
    public string HiddenAct { get; set; } = "gelu_new";

    /// <summary>LayerNorm epsilon.</summary>
    [JsonPropertyName("layer_norm_eps")]
    public double LayerNormEps { get; set; } = 1e-5;

    /// <summary>Standard deviation of the random initialisation.</summary>
    [JsonPropertyName("initializer_range")]
    public double InitializerRange { get; set; } = 0.02;

    /// <summary>Whether <c>lm_head</c> shares <c>embed_tokens</c>.</summary>
    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; set; } = true;

    /// <summary>Width of one attention head.</summary>
    [JsonIgnore]
    public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <inheritdoc />
    public void Validate(string source)
    {
        HfConfigReader.Require(VocabSize > 0 && HiddenSize > 0 && NumHiddenLayers > 0 && NumAttentionHeads > 0 && IntermediateSize > 0 && MaxPositionEmbeddings > 0,
            source, "vocab_size, hidden_size, num_hidden_layers, num_attention_heads, intermediate_size and max_position_embeddings must be positive");
        HfConfigReader.Require(HiddenSize % NumAttentionHeads == 0, source, $"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        HfConfigReader.Require(LayerNormEps > 0, source, "layer_norm_eps must be positive");
        Activations.Validate(HiddenAct, source);
    }
}
