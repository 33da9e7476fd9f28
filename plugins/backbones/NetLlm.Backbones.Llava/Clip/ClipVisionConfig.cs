using System.Text.Json.Serialization;
using NetLlm.Transformers.Config;
using NetLlm.Transformers.Modules;

namespace NetLlm.Backbones.Llava.Clip;

/// <summary>Hugging Face <c>CLIPVisionConfig</c> (defaults are the Hugging Face defaults, ViT-B/32).</summary>
public sealed class ClipVisionConfig : IHfConfig
{
    /// <summary><c>model_type</c>.</summary>
    [JsonPropertyName("model_type")]
    public string ModelType { get; set; } = "clip_vision_model";

    /// <summary>Hidden width.</summary>
    [HfRequired]
    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; set; } = 768;

    /// <summary>MLP width.</summary>
    [HfRequired]
    [JsonPropertyName("intermediate_size")]
    public int IntermediateSize { get; set; } = 3072;

    /// <summary>Projection width of the CLIP contrastive head (not part of the vision tower; informational).</summary>
    [JsonPropertyName("projection_dim")]
    public int ProjectionDim { get; set; } = 512;

    /// <summary>Encoder layers.</summary>
    [HfRequired]
    [JsonPropertyName("num_hidden_layers")]
    public int NumHiddenLayers { get; set; } = 12;

    /// <summary>Heads.</summary>
    [HfRequired]
    [JsonPropertyName("num_attention_heads")]
    public int NumAttentionHeads { get; set; } = 12;

    /// <summary>Image channels.</summary>
    [JsonPropertyName("num_channels")]
    public int NumChannels { get; set; } = 3;

    /// <summary>Square image side in pixels.</summary>
    [HfRequired]
    [JsonPropertyName("image_size")]
    public int ImageSize { get; set; } = 224;

    /// <summary>Square patch side in pixels.</summary>
    [HfRequired]
    [JsonPropertyName("patch_size")]
    public int PatchSize { get; set; } = 32;

    /// <summary>MLP activation.</summary>
    [JsonPropertyName("hidden_act")]
    public string HiddenAct { get; set; } = "quick_gelu";

    /// <summary>LayerNorm epsilon.</summary>
    [JsonPropertyName("layer_norm_eps")]
    public double LayerNormEps { get; set; } = 1e-5;

    /// <summary>Attention dropout (training only; not applied).</summary>
    [JsonPropertyName("attention_dropout")]
    public double AttentionDropout { get; set; }

    /// <summary>Dropout (training only; not applied).</summary>
    [JsonPropertyName("dropout")]
    public double Dropout { get; set; }

    /// <summary>Standard deviation of the random initialisation.</summary>
    [JsonPropertyName("initializer_range")]
    public double InitializerRange { get; set; } = 0.02;

    /// <summary>Initialisation factor (accepted; the random initialisation uses <see cref="InitializerRange"/>).</summary>
    [JsonPropertyName("initializer_factor")]
    public double InitializerFactor { get; set; } = 1.0;

    /// <summary>Vocabulary size that llava-hf writes into its vision config (unused by the vision tower).</summary>
    [JsonPropertyName("vocab_size")]
    public int? VocabSize { get; set; }

    /// <summary>Patches per side.</summary>
    [JsonIgnore]
    public int PatchesPerSide => ImageSize / PatchSize;

    /// <summary>Position embeddings: one per patch plus the class token.</summary>
    [JsonIgnore]
    public int NumPositions => PatchesPerSide * PatchesPerSide + 1;

    /// <summary>The llava-hf default vision tower (CLIP ViT-L/14 at 336 px).</summary>
    public static ClipVisionConfig LlavaDefault() => new()
    {
        HiddenSize = 1024,
        IntermediateSize = 4096,
        ProjectionDim = 768,
        NumHiddenLayers = 24,
        NumAttentionHeads = 16,
        ImageSize = 336,
        PatchSize = 14,
        VocabSize = 32000,
    };

    /// <inheritdoc />
    public void Validate(string source)
    {
        HfConfigReader.Require(HiddenSize > 0 && IntermediateSize > 0 && NumHiddenLayers > 0 && NumAttentionHeads > 0 && NumChannels > 0 && ImageSize > 0 && PatchSize > 0,
            source, "hidden_size, intermediate_size, num_hidden_layers, num_attention_heads, num_channels, image_size and patch_size must be positive");
        HfConfigReader.Require(HiddenSize % NumAttentionHeads == 0, source, $"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        HfConfigReader.Require(ImageSize % PatchSize == 0, source, $"image_size {ImageSize} is not a multiple of patch_size {PatchSize}");
        Activations.Validate(HiddenAct, source);
    }
}
