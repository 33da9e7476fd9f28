using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using NetLlm.Transformers.Modeling;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llava;

/// <summary>
/// A LLaVa model as an <see cref="IBackbone"/>: <see cref="IBackbone.Forward"/> runs the Llama language model on token
/// ids or embeddings (rotary positions); <see cref="ImageEncoder"/> exposes the vision tower and projector as an image
/// encoder producing tokens of the same width. <see cref="IBackbone.Module"/> is the whole
/// <c>LlavaForConditionalGeneration</c> (state-dict names = llava-hf checkpoint names). Owns the model.
/// </summary>
public sealed class LlavaBackbone : CausalLmBackbone
{
    private ClipImageEncoder? _encoder;

    /// <summary>Wraps <paramref name="model"/> (ownership passes to the backbone).</summary>
    /// <param name="model">The model.</param>
    /// <param name="placement">Dtype and device.</param>
    public LlavaBackbone(LlavaForConditionalGeneration model, ModelPlacement placement)
        : base(model, model, Describe(model, placement), PositionEncoding.Rotary, placement?.DType ?? ScalarType.Float32, placement?.Device ?? CPU)
    {
        Model = model;
    }

    /// <summary>The wrapped model (owned by this backbone).</summary>
    public LlavaForConditionalGeneration Model { get; }

    /// <summary>
    /// The vision tower and projector as an <c>image</c> encoder (tokens of width <see cref="IBackbone.HiddenSize"/>).
    /// It shares this backbone's modules: the backbone owns them, do not dispose the encoder separately.
    /// </summary>
    public ClipImageEncoder ImageEncoder =>
        _encoder ??= new ClipImageEncoder(Model.VisionTower, Model.Projector, Model.Config.VisionFeatureLayer, Model.Config.KeepClassToken);

    private static BackboneInfo Describe(LlavaForConditionalGeneration model, ModelPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(placement);
        var c = model.Config.Text;
        return new BackboneInfo
        {
            Family = "llava",
            ModelType = model.Config.ModelType,
            Architecture = "LlavaForConditionalGeneration",
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
