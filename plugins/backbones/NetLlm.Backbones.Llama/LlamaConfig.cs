using System.Text.Json.Serialization;
using NetLlm.Transformers.Config;
using NetLlm.Transformers.Modules;

namespace NetLlm.Backbones.Llama;

/// <summary>
/// Hugging Face <c>LlamaConfig</c> (config.json keys as in transformers 4.34, plus <c>head_dim</c>,
/// <c>mlp_bias</c> and <c>attention_dropout</c> written by later versions). Defaults are the Hugging Face defaults.
/// </summary>
public class LlamaConfig : IHfConfig
{
    /// <summary><c>model_type</c>.</summary>
    [JsonPropertyName("model_type")]
    public string ModelType { get; set; } = "llama";

    /// <summary>Hidden width.</summary>
    [HfRequired]
    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; set; } = 4096;

    /// <summary>MLP width.</summary>
    [HfRequired]
    [JsonPropertyName("intermediate_size")]
    public int IntermediateSize { get; set; } = 11008;

    /// <summary>Decoder layers.</summary>
    [HfRequired]
    [JsonPropertyName("num_hidden_layers")]
    public int NumHiddenLayers { get; set; } = 32;

    /// <summary>Query heads.</summary>
    [HfRequired]
    [JsonPropertyName("num_attention_heads")]
    public int NumAttentionHeads { get; set; } = 32;

    /// <summary>Key/value heads (grouped-query attention); null means equal to the query heads.</summary>
    [JsonPropertyName("num_key_value_heads")]
    public int? NumKeyValueHeads { get; set; }

    /// <summary>Head width; null means <c>hidden_size / num_attention_heads</c>.</summary>
    [JsonPropertyName("head_dim")]
    public int? HeadDim { get; set; }

    /// <summary>Vocabulary size.</summary>
    [HfRequired]
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; set; } = 32000;

    /// <summary>MLP activation.</summary>
    [JsonPropertyName("hidden_act")]
    public string HiddenAct { get; set; } = "silu";

    /// <summary>Positions the model was trained for.</summary>
    [JsonPropertyName("max_position_embeddings")]
    public int MaxPositionEmbeddings { get; set; } = 2048;

    /// <summary>Standard deviation of the random initialisation.</summary>
    [JsonPropertyName("initializer_range")]
    public double InitializerRange { get; set; } = 0.02;

    /// <summary>RMSNorm epsilon.</summary>
    [JsonPropertyName("rms_norm_eps")]
    public double RmsNormEps { get; set; } = 1e-6;

    /// <summary>Rotary base.</summary>
    [JsonPropertyName("rope_theta")]
    public double RopeTheta { get; set; } = 10000.0;

    /// <summary>Rotary scaling (only <c>linear</c> is supported).</summary>
    [JsonPropertyName("rope_scaling")]
    public RopeScalingConfig? RopeScaling { get; set; }

    /// <summary>Biases on q/k/v/o.</summary>
    [JsonPropertyName("attention_bias")]
    public bool AttentionBias { get; set; }

    /// <summary>Biases on the MLP projections.</summary>
    [JsonPropertyName("mlp_bias")]
    public bool MlpBias { get; set; }

    /// <summary>Attention dropout (training only; not applied by this implementation).</summary>
    [JsonPropertyName("attention_dropout")]
    public double AttentionDropout { get; set; }

    /// <summary>Tensor-parallel slices used in pre-training (mathematically a no-op; accepted and ignored).</summary>
    [JsonPropertyName("pretraining_tp")]
    public int PretrainingTp { get; set; } = 1;

    /// <summary>Whether <c>lm_head</c> shares the token embedding.</summary>
    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; set; }

    /// <summary>Key/value heads in effect.</summary>
    [JsonIgnore]
    public int KeyValueHeads => NumKeyValueHeads ?? NumAttentionHeads;

    /// <summary>Head width in effect.</summary>
    [JsonIgnore]
    public int HeadDimension => HeadDim ?? (NumAttentionHeads > 0 ? HiddenSize / NumAttentionHeads : 0);

    /// <summary>Architecture class name written to <c>architectures</c>.</summary>
    [JsonIgnore]
    public virtual string Architecture => "LlamaForCausalLM";

    /// <inheritdoc />
    public virtual void Validate(string source)
    {
        HfConfigReader.Require(HiddenSize > 0 && IntermediateSize > 0 && NumHiddenLayers > 0 && NumAttentionHeads > 0 && VocabSize > 0,
            source, "hidden_size, intermediate_size, num_hidden_layers, num_attention_heads and vocab_size must be positive");
        HfConfigReader.Require(HeadDim is not null || HiddenSize % NumAttentionHeads == 0,
            source, $"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        HfConfigReader.Require(KeyValueHeads > 0 && NumAttentionHeads % KeyValueHeads == 0,
            source, $"num_attention_heads {NumAttentionHeads} is not a multiple of num_key_value_heads {KeyValueHeads}");
        HfConfigReader.Require(HeadDimension % 2 == 0, source, $"head dimension {HeadDimension} must be even for rotary embeddings");
        HfConfigReader.Require(RmsNormEps > 0, source, "rms_norm_eps must be positive");
        HfConfigReader.Require(RopeTheta > 0, source, "rope_theta must be positive");
        Activations.Validate(HiddenAct, source);
        _ = RopeScaling?.PositionDivisor(source);
    }
}
