using NetLlm.Abstractions.Backbones;
using NetLlm.Backbones.Llama;
using NetLlm.Transformers.Modeling;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Mistral;

/// <summary>
/// A Mistral model as an <see cref="IBackbone"/>: a <see cref="LlamaForCausalLM"/> built with the sliding window.
/// Window semantics follow transformers 4.34.1 (<c>W + 1</c> keys per query) and are applied to cached keys too, so
/// that feeding a sequence in pieces equals one pass (4.34's eager cache path did not window the past). Owns the model.
/// </summary>
public sealed class MistralBackbone : CausalLmBackbone
{
    /// <summary>Wraps <paramref name="model"/> (ownership passes to the backbone).</summary>
    /// <param name="model">The model, built from a <see cref="MistralConfig"/>.</param>
    /// <param name="placement">Dtype and device.</param>
    public MistralBackbone(LlamaForCausalLM model, ModelPlacement placement)
        : base(model, model, LlamaBackbone.Describe(model, "mistral", placement), PositionEncoding.Rotary, placement?.DType ?? ScalarType.Float32, placement?.Device ?? CPU)
    {
        Model = model;
    }

    /// <summary>The wrapped model (owned by this backbone).</summary>
    public LlamaForCausalLM Model { get; }

    /// <summary>The attention window.</summary>
    public int? SlidingWindow => (Model.Config as MistralConfig)?.SlidingWindow;
}
