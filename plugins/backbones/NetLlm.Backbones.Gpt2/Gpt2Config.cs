using System.Text.Json;
using System.Text.Json.Serialization;
using NetLlm.Transformers.Config;
using NetLlm.Transformers.Modules;

namespace NetLlm.Backbones.Gpt2;

/// <summary>Hugging Face <c>GPT2Config</c> (config.json keys of transformers 4.34; defaults are GPT-2 small's).</summary>
public sealed class Gpt2Config : IHfConfig
{
    /// <summary><c>model_type</c>.</summary>
    [JsonPropertyName("model_type")]
    public string ModelType { get; set; } = "gpt2";

    /// <summary>Vocabulary size.</summary>
    [HfRequired]
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; set; } = 50257;

    /// <summary>Learned positions (rows of <c>wpe</c>).</summary>
    [HfRequired]
    [JsonPropertyName("n_positions")]
    public int NPositions { get; set; } = 1024;

    /// <summary>Context size of old configs (same as <see cref="NPositions"/>; informational).</summary>
    [JsonPropertyName("n_ctx")]
    public int? NCtx { get; set; }

    /// <summary>Hidden width.</summary>
    [HfRequired]
    [JsonPropertyName("n_embd")]
    public int NEmbd { get; set; } = 768;

    /// <summary>Blocks.</summary>
    [HfRequired]
    [JsonPropertyName("n_layer")]
    public int NLayer { get; set; } = 12;

    /// <summary>Heads.</summary>
    [HfRequired]
    [JsonPropertyName("n_head")]
    public int NHead { get; set; } = 12;

    /// <summary>MLP width; null means <c>4 * n_embd</c>.</summary>
    [JsonPropertyName("n_inner")]
    public int? NInner { get; set; }

    /// <summary>MLP activation.</summary>
    [JsonPropertyName("activation_function")]
    public string ActivationFunction { get; set; } = "gelu_new";

    /// <summary>Residual dropout (training only; not applied).</summary>
    [JsonPropertyName("resid_pdrop")]
    public double ResidPdrop { get; set; } = 0.1;

    /// <summary>Embedding dropout (training only; not applied).</summary>
    [JsonPropertyName("embd_pdrop")]
    public double EmbdPdrop { get; set; } = 0.1;

    /// <summary>Attention dropout (training only; not applied).</summary>
    [JsonPropertyName("attn_pdrop")]
    public double AttnPdrop { get; set; } = 0.1;

    /// <summary>LayerNorm epsilon.</summary>
    [JsonPropertyName("layer_norm_epsilon")]
    public double LayerNormEpsilon { get; set; } = 1e-5;

    /// <summary>Standard deviation of the random initialisation.</summary>
    [JsonPropertyName("initializer_range")]
    public double InitializerRange { get; set; } = 0.02;

    /// <summary>Scale attention scores by <c>1/sqrt(head_dim)</c>.</summary>
    [JsonPropertyName("scale_attn_weights")]
    public bool ScaleAttnWeights { get; set; } = true;

    /// <summary>Additionally scale scores by <c>1/(layer_idx + 1)</c>.</summary>
    [JsonPropertyName("scale_attn_by_inverse_layer_idx")]
    public bool ScaleAttnByInverseLayerIdx { get; set; }

    /// <summary>Compute scores in float32 (a precision option; the fused kernel accumulates in float32 anyway).</summary>
    [JsonPropertyName("reorder_and_upcast_attn")]
    public bool ReorderAndUpcastAttn { get; set; }

    /// <summary>Whether <c>lm_head</c> shares <c>wte</c> (true for every published GPT-2).</summary>
    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; set; } = true;

    /// <summary>Sequence-summary head settings (used by GPT2DoubleHeadsModel only; accepted and ignored).</summary>
    [JsonPropertyName("summary_type")]
    public JsonElement? SummaryType { get; set; }

    /// <summary>Sequence-summary head setting (ignored).</summary>
    [JsonPropertyName("summary_use_proj")]
    public JsonElement? SummaryUseProj { get; set; }

    /// <summary>Sequence-summary head setting (ignored).</summary>
    [JsonPropertyName("summary_activation")]
    public JsonElement? SummaryActivation { get; set; }

    /// <summary>Sequence-summary head setting (ignored).</summary>
    [JsonPropertyName("summary_proj_to_labels")]
    public JsonElement? SummaryProjToLabels { get; set; }

    /// <summary>Sequence-summary head setting (ignored).</summary>
    [JsonPropertyName("summary_first_dropout")]
    public JsonElement? SummaryFirstDropout { get; set; }

    /// <summary>MLP width in effect.</summary>
    [JsonIgnore]
    public int InnerSize => NInner ?? 4 * NEmbd;

    /// <inheritdoc />
    public void Validate(string source)
    {
        HfConfigReader.Require(VocabSize > 0 && NPositions > 0 && NEmbd > 0 && NLayer > 0 && NHead > 0 && InnerSize > 0,
            source, "vocab_size, n_positions, n_embd, n_layer, n_head and n_inner must be positive");
        HfConfigReader.Require(NEmbd % NHead == 0, source, $"n_embd {NEmbd} is not divisible by n_head {NHead}");
        HfConfigReader.Require(LayerNormEpsilon > 0, source, "layer_norm_epsilon must be positive");
        Activations.Validate(ActivationFunction, source);
    }
}
