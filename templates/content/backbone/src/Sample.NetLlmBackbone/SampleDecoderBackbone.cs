using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using NetLlm.Transformers.Modeling;
using static TorchSharp.torch;

namespace Sample.NetLlmBackbone;

/// <summary>
/// A <see cref="SampleDecoderForCausalLM"/> as an <see cref="IBackbone"/>. NetLlm.Transformers'
/// <see cref="CausalLmBackbone"/> does the contract's common work: input checks, embedding token ids, the dtype and
/// device of embeddings, merging the caller's attention mask with the cache's and committing the cache. Owns the
/// model and disposes it.
/// </summary>
public sealed class SampleDecoderBackbone : CausalLmBackbone
{
    /// <summary>Wraps <paramref name="model"/> (ownership passes to the backbone).</summary>
    /// <param name="model">The model.</param>
    /// <param name="placement">Dtype and device.</param>
    public SampleDecoderBackbone(SampleDecoderForCausalLM model, ModelPlacement placement)
        : base(model, model, Describe(model, placement), PositionEncoding.LearnedAbsolute, placement?.DType ?? ScalarType.Float32, placement?.Device ?? CPU)
    {
        Model = model;
    }

    /// <summary>The wrapped model (owned by this backbone).</summary>
    public SampleDecoderForCausalLM Model { get; }

    private static BackboneInfo Describe(SampleDecoderForCausalLM model, ModelPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(placement);
        var c = model.Config;
        return new BackboneInfo
        {
            Family = SampleDecoderConfig.Type,
            ModelType = c.ModelType,
            Architecture = nameof(SampleDecoderForCausalLM),
            NumLayers = c.NumHiddenLayers,
            HiddenSize = c.HiddenSize,
            NumAttentionHeads = c.NumAttentionHeads,
            NumKeyValueHeads = c.NumAttentionHeads,
            IntermediateSize = c.IntermediateSize,
            VocabSize = c.VocabSize,
            MaxPositionEmbeddings = c.MaxPositionEmbeddings,
            ParameterCount = ParameterStats.Count(model),
            DType = TensorDType.Name(placement.DType),
            HasLmHead = true,
        };
    }
}
