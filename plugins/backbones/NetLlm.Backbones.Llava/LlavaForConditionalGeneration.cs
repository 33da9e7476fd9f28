using NetLlm.Abstractions.Backbones;
using NetLlm.Backbones.Llama;
using NetLlm.Backbones.Llava.Clip;
using NetLlm.Transformers.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llava;

/// <summary>
/// Hugging Face <c>LlavaForConditionalGeneration</c> in the llava-hf layout: <c>vision_tower</c>
/// (<see cref="ClipVisionModel"/>), <c>multi_modal_projector</c>, <c>language_model</c> (<see cref="LlamaForCausalLM"/>).
/// As an <see cref="ICausalLm"/> it runs the language model on embeddings; images go through
/// <see cref="ImageFeatures"/> (or <see cref="ClipImageEncoder"/>).
/// </summary>
public sealed class LlavaForConditionalGeneration : nn.Module, ICausalLm
{
#pragma warning disable IDE1006 // state-dict names
    private readonly ClipVisionModel vision_tower;
    private readonly LlavaMultiModalProjector multi_modal_projector;
    private readonly LlamaForCausalLM language_model;
#pragma warning restore IDE1006

    /// <summary>Creates the model with zero projections.</summary>
    /// <param name="config">Validated config.</param>
    /// <param name="dtype">Parameter and compute dtype.</param>
    /// <param name="device">Parameter device.</param>
    public LlavaForConditionalGeneration(LlavaConfig config, ScalarType dtype, Device device)
        : base("LlavaForConditionalGeneration")
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        vision_tower = new ClipVisionModel(config.Vision, dtype, device);
        multi_modal_projector = new LlavaMultiModalProjector(config.Vision.HiddenSize, config.Text.HiddenSize, config.ProjectorHiddenAct, config.MultimodalProjectorBias, dtype, device);
        language_model = new LlamaForCausalLM(config.Text, dtype, device);
        RegisterComponents();
    }

    /// <summary>The config.</summary>
    public LlavaConfig Config { get; }

    /// <summary>The language model (owned by this module).</summary>
    public LlamaForCausalLM LanguageModel => language_model;

    /// <summary>The vision tower (owned by this module).</summary>
    public ClipVisionModel VisionTower => vision_tower;

    /// <summary>The projector (owned by this module).</summary>
    public LlavaMultiModalProjector Projector => multi_modal_projector;

    /// <inheritdoc />
    public int NumLayers => language_model.NumLayers;

    /// <inheritdoc />
    public int EmbeddingWidth => language_model.EmbeddingWidth;

    /// <inheritdoc />
    public bool HasLmHead => true;

    /// <inheritdoc />
    public Tensor EmbedTokens(Tensor inputIds) => language_model.EmbedTokens(inputIds);

    /// <inheritdoc />
    public BackboneOutput Run(DecoderInput input) => language_model.Run(input);

    /// <inheritdoc />
    public bool SelectsOutputPositions => language_model.SelectsOutputPositions;

    /// <summary>
    /// Projected image features as LLaVa computes them: hidden state <c>vision_feature_layer</c> of the vision tower,
    /// the class token dropped unless the strategy is <c>full</c>, then the projector. Images borrowed; result
    /// <c>[batch, patches (+1), text_hidden]</c> new (caller owns).
    /// </summary>
    /// <param name="pixels">Images <c>[batch, channels, size, size]</c>.</param>
    public Tensor ImageFeatures(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var features = vision_tower.VisionModel.HiddenState(pixels, Config.VisionFeatureLayer);
        if (!Config.KeepClassToken)
        {
            features = features.narrow(1, 1, features.shape[1] - 1);
        }

        return multi_modal_projector.forward(features).MoveToOuterDisposeScope();
    }
}
