using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NetLlm.Backbones.Llama;
using NetLlm.Backbones.Llava.Clip;
using NetLlm.Transformers.Config;
using NetLlm.Transformers.Modules;

namespace NetLlm.Backbones.Llava;

/// <summary>
/// Hugging Face <c>LlavaConfig</c> (llava-hf layout): nested <c>text_config</c> (a Llama config written as a diff
/// against the Llama defaults) and <c>vision_config</c> (a CLIP vision config, defaulting to CLIP ViT-L/14-336),
/// plus the projector and feature-selection settings. <see cref="Validate"/> resolves <see cref="Text"/> and
/// <see cref="Vision"/> strictly (unknown nested keys are errors).
/// </summary>
public sealed class LlavaConfig : IHfConfig
{
    private LlamaConfig? _text;
    private ClipVisionConfig? _vision;

    /// <summary><c>model_type</c>.</summary>
    [JsonPropertyName("model_type")]
    public string ModelType { get; set; } = "llava";

    /// <summary>The raw <c>text_config</c> object.</summary>
    [JsonPropertyName("text_config")]
    public JsonObject? TextConfigJson { get; set; }

    /// <summary>The raw <c>vision_config</c> object.</summary>
    [JsonPropertyName("vision_config")]
    public JsonObject? VisionConfigJson { get; set; }

    /// <summary>Activation between the projector's two linear layers.</summary>
    [JsonPropertyName("projector_hidden_act")]
    public string ProjectorHiddenAct { get; set; } = "gelu";

    /// <summary>Which vision hidden state feeds the projector (Hugging Face index, -2 = second to last layer).</summary>
    [JsonPropertyName("vision_feature_layer")]
    public int VisionFeatureLayer { get; set; } = -2;

    /// <summary><c>default</c> drops the class token, <c>full</c> keeps it.</summary>
    [JsonPropertyName("vision_feature_select_strategy")]
    public string VisionFeatureSelectStrategy { get; set; } = "default";

    /// <summary>Token id that marks image positions in prompts.</summary>
    [JsonPropertyName("image_token_index")]
    public int ImageTokenIndex { get; set; } = 32000;

    /// <summary>Label id ignored by the loss (training only).</summary>
    [JsonPropertyName("ignore_index")]
    public int IgnoreIndex { get; set; } = -100;

    /// <summary>Vocabulary size written at the top level by older llava-hf configs (used when text_config has none).</summary>
    [JsonPropertyName("vocab_size")]
    public int? VocabSize { get; set; }

    /// <summary>Image tokens per image (newer configs; informational).</summary>
    [JsonPropertyName("image_seq_length")]
    public int? ImageSeqLength { get; set; }

    /// <summary>Biases on the projector's linear layers.</summary>
    [JsonPropertyName("multimodal_projector_bias")]
    public bool MultimodalProjectorBias { get; set; } = true;

    /// <summary>Whether the language model's head is tied (llava-hf: false).</summary>
    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; set; }

    /// <summary>The language-model config (after <see cref="Validate"/>).</summary>
    [JsonIgnore]
    public LlamaConfig Text => _text ?? throw new InvalidOperationException("LlavaConfig.Validate has not run");

    /// <summary>The vision-tower config (after <see cref="Validate"/>).</summary>
    [JsonIgnore]
    public ClipVisionConfig Vision => _vision ?? throw new InvalidOperationException("LlavaConfig.Validate has not run");

    /// <summary>True when the class token is kept in the image features.</summary>
    [JsonIgnore]
    public bool KeepClassToken => VisionFeatureSelectStrategy == "full";

    /// <inheritdoc />
    public void Validate(string source)
    {
        if (TextConfigJson is null)
        {
            _text = new LlamaConfig();
        }
        else
        {
            var text = (JsonObject)TextConfigJson.DeepClone();
            if (!text.ContainsKey("vocab_size") && VocabSize is { } v)
            {
                text["vocab_size"] = v;
            }

            _text = HfConfigReader.Read<LlamaConfig>(text, source + " text_config", ["llama"], requireKeys: false);
        }

        _vision = VisionConfigJson is null
            ? ClipVisionConfig.LlavaDefault()
            : HfConfigReader.Read<ClipVisionConfig>(VisionConfigJson, source + " vision_config", ["clip_vision_model"], requireKeys: false);
        _vision.Validate(source + " vision_config");
        HfConfigReader.Require(VisionFeatureSelectStrategy is "default" or "full", source,
            $"vision_feature_select_strategy '{VisionFeatureSelectStrategy}' is not supported (default, full)");
        HfConfigReader.Require(VisionFeatureLayer >= -(_vision.NumHiddenLayers + 1) && VisionFeatureLayer <= _vision.NumHiddenLayers, source,
            $"vision_feature_layer {VisionFeatureLayer} is outside the vision tower's {_vision.NumHiddenLayers + 1} hidden states");
        Activations.Validate(ProjectorHiddenAct, source);
    }
}
