using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using NetLlm.Transformers.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llama;

/// <summary>
/// A Llama-family model (<see cref="LlamaForCausalLM"/>) as an <see cref="IBackbone"/>. Rotary positions: default
/// position ids are <c>cache.NextPosition ..</c>, so evicting cached positions keeps relative positions. Owns the model.
/// </summary>
public sealed class LlamaBackbone : CausalLmBackbone
{
    /// <summary>Wraps <paramref name="model"/> (ownership passes to the backbone).</summary>
    /// <param name="model">The model.</param>
    /// <param name="family">Family name reported in <see cref="IBackbone.Info"/> (<c>llama</c>, <c>mistral</c>).</param>
    /// <param name="placement">Dtype and device the model was built with.</param>
    public LlamaBackbone(LlamaForCausalLM model, string family, ModelPlacement placement)
        : base(model, model, Describe(model, family, placement), PositionEncoding.Rotary, placement?.DType ?? ScalarType.Float32, placement?.Device ?? CPU)
    {
        Model = model;
    }

    /// <summary>The wrapped model (owned by this backbone).</summary>
    public LlamaForCausalLM Model { get; }

    /// <summary>Architecture facts of a Llama-family model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="family">Family name.</param>
    /// <param name="placement">Dtype and device.</param>
    public static BackboneInfo Describe(LlamaForCausalLM model, string family, ModelPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(placement);
        var c = model.Config;
        return new BackboneInfo
        {
            Family = family,
            ModelType = c.ModelType,
            Architecture = c.Architecture,
            NumLayers = c.NumHiddenLayers,
            HiddenSize = c.HiddenSize,
            NumAttentionHeads = c.NumAttentionHeads,
            NumKeyValueHeads = c.KeyValueHeads,
            IntermediateSize = c.IntermediateSize,
            VocabSize = c.VocabSize,
            MaxPositionEmbeddings = c.MaxPositionEmbeddings,
            ParameterCount = ParameterStats.Count(model),
            DType = TensorDType.Name(placement.DType),
            HasLmHead = true,
        };
    }
}
