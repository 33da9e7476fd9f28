using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using NetLlm.Transformers.Modeling;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Opt;

/// <summary>
/// An OPT model as an <see cref="IBackbone"/>. Learned absolute positions derived from the attention mask (so after
/// <see cref="IKvCache.DropFirst"/> positions restart from the retained window). Owns the model.
/// </summary>
public sealed class OptBackbone : CausalLmBackbone
{
    /// <summary>Wraps <paramref name="model"/> (ownership passes to the backbone).</summary>
    /// <param name="model">The model.</param>
    /// <param name="placement">Dtype and device.</param>
    public OptBackbone(OptForCausalLM model, ModelPlacement placement)
        : base(model, model, Describe(model, placement), PositionEncoding.LearnedAbsolute, placement?.DType ?? ScalarType.Float32, placement?.Device ?? CPU)
    {
        Model = model;
    }

    /// <summary>The wrapped model (owned by this backbone).</summary>
    public OptForCausalLM Model { get; }

    private static BackboneInfo Describe(OptForCausalLM model, ModelPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(placement);
        var c = model.Config;
        return new BackboneInfo
        {
            Family = "opt",
            ModelType = c.ModelType,
            Architecture = "OPTForCausalLM",
            NumLayers = c.NumHiddenLayers,
            HiddenSize = c.EmbeddingWidth,
            NumAttentionHeads = c.NumAttentionHeads,
            NumKeyValueHeads = c.NumAttentionHeads,
            IntermediateSize = c.FfnDim,
            VocabSize = c.VocabSize,
            MaxPositionEmbeddings = c.MaxPositionEmbeddings,
            ParameterCount = ParameterStats.Count(model),
            DType = TensorDType.Name(placement.DType),
            HasLmHead = true,
        };
    }
}
