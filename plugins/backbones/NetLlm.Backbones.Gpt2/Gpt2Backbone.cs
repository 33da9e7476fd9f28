using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using NetLlm.Transformers.Modeling;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Gpt2;

/// <summary>A GPT-2 model as an <see cref="IBackbone"/> (learned absolute positions). Owns the model.</summary>
public sealed class Gpt2Backbone : CausalLmBackbone
{
    /// <summary>Wraps <paramref name="model"/> (ownership passes to the backbone).</summary>
    /// <param name="model">The model.</param>
    /// <param name="placement">Dtype and device.</param>
    public Gpt2Backbone(Gpt2LMHeadModel model, ModelPlacement placement)
        : base(model, model, Describe(model, placement), PositionEncoding.LearnedAbsolute, placement?.DType ?? ScalarType.Float32, placement?.Device ?? CPU)
    {
        Model = model;
    }

    /// <summary>The wrapped model (owned by this backbone).</summary>
    public Gpt2LMHeadModel Model { get; }

    private static BackboneInfo Describe(Gpt2LMHeadModel model, ModelPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(placement);
        var c = model.Config;
        return new BackboneInfo
        {
            Family = "gpt2",
            ModelType = c.ModelType,
            Architecture = "GPT2LMHeadModel",
            NumLayers = c.NLayer,
            HiddenSize = c.NEmbd,
            NumAttentionHeads = c.NHead,
            NumKeyValueHeads = c.NHead,
            IntermediateSize = c.InnerSize,
            VocabSize = c.VocabSize,
            MaxPositionEmbeddings = c.NPositions,
            ParameterCount = ParameterStats.Count(model),
            DType = TensorDType.Name(placement.DType),
            HasLmHead = true,
        };
    }
}
