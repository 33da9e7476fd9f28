using System.Text.Json.Serialization;
using NetLlm.Transformers.Config;
using NetLlm.Transformers.Modules;

namespace NetLlm.Backbones.Opt;

/// <summary>Hugging Face <c>OPTConfig</c> (config.json keys of transformers 4.34; defaults are OPT-350m's as in HF).</summary>
public sealed class OptConfig : IHfConfig
{
    /// <summary><c>model_type</c>.</summary>
    [JsonPropertyName("model_type")]
    public string ModelType { get; set; } = "opt";

    /// <summary>Vocabulary size.</summary>
    [HfRequired]
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; set; } = 50272;

    /// <summary>Hidden width.</summary>
    [HfRequired]
    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; set; } = 768;

    /// <summary>Decoder layers.</summary>
    [HfRequired]
    [JsonPropertyName("num_hidden_layers")]
    public int NumHiddenLayers { get; set; } = 12;

    /// <summary>MLP width.</summary>
    [HfRequired]
    [JsonPropertyName("ffn_dim")]
    public int FfnDim { get; set; } = 3072;

    /// <summary>Heads.</summary>
    [HfRequired]
    [JsonPropertyName("num_attention_heads")]
    public int NumAttentionHeads { get; set; } = 12;

    /// <summary>Learned positions (the table has two more rows: offset 2).</summary>
    [HfRequired]
    [JsonPropertyName("max_position_embeddings")]
    public int MaxPositionEmbeddings { get; set; } = 2048;

    /// <summary>Pre-LN (true) or post-LN (false) blocks.</summary>
    [JsonPropertyName("do_layer_norm_before")]
    public bool DoLayerNormBefore { get; set; } = true;

    /// <summary>Drop the decoder's final layer norm (old OPT-350m checkpoints).</summary>
    [JsonPropertyName("_remove_final_layer_norm")]
    public bool RemoveFinalLayerNorm { get; set; }

    /// <summary>Token-embedding width; when it differs from <see cref="HiddenSize"/> the model has <c>project_in</c>/<c>project_out</c>.</summary>
    [JsonPropertyName("word_embed_proj_dim")]
    public int? WordEmbedProjDim { get; set; }

    /// <summary>Dropout (training only; not applied).</summary>
    [JsonPropertyName("dropout")]
    public double Dropout { get; set; } = 0.1;

    /// <summary>Attention dropout (training only; not applied).</summary>
    [JsonPropertyName("attention_dropout")]
    public double AttentionDropout { get; set; }

    /// <summary>Activation dropout (training only; not applied).</summary>
    [JsonPropertyName("activation_dropout")]
    public double ActivationDropout { get; set; }

    /// <summary>MLP activation.</summary>
    [JsonPropertyName("activation_function")]
    public string ActivationFunction { get; set; } = "relu";

    /// <summary>Layer drop (training only; not applied).</summary>
    [JsonPropertyName("layerdrop")]
    public double Layerdrop { get; set; }

    /// <summary>Standard deviation of the random initialisation.</summary>
    [JsonPropertyName("init_std")]
    public double InitStd { get; set; } = 0.02;

    /// <summary>Biases on the linear layers.</summary>
    [JsonPropertyName("enable_bias")]
    public bool EnableBias { get; set; } = true;

    /// <summary>Layer norms with gains and biases.</summary>
    [JsonPropertyName("layer_norm_elementwise_affine")]
    public bool LayerNormElementwiseAffine { get; set; } = true;

    /// <summary>Whether <c>lm_head</c> shares <c>embed_tokens</c> (true for every published OPT).</summary>
    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; set; } = true;

    /// <summary>Token-embedding width in effect.</summary>
    [JsonIgnore]
    public int EmbeddingWidth => WordEmbedProjDim ?? HiddenSize;

    /// <summary>True when the decoder ends with <c>final_layer_norm</c>.</summary>
    [JsonIgnore]
    public bool HasFinalLayerNorm => DoLayerNormBefore && !RemoveFinalLayerNorm;

    /// <inheritdoc />
    public void Validate(string source)
    {
        HfConfigReader.Require(VocabSize > 0 && HiddenSize > 0 && NumHiddenLayers > 0 && FfnDim > 0 && NumAttentionHeads > 0 && MaxPositionEmbeddings > 0 && EmbeddingWidth > 0,
            source, "vocab_size, hidden_size, num_hidden_layers, ffn_dim, num_attention_heads, max_position_embeddings and word_embed_proj_dim must be positive");
        HfConfigReader.Require(HiddenSize % NumAttentionHeads == 0, source, $"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        Activations.Validate(ActivationFunction, source);
    }
}
