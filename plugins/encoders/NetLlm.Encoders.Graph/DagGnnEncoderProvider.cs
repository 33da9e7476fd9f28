using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Encoders.Modalities;

namespace NetLlm.Encoders.Graph;

/// <summary>
/// Provides <see cref="DagGnnEncoder"/> as <c>encoder.dag-gnn</c> (modality <c>graph</c>) with NetLLM's widths: a slot's
/// item shape <c>[features]</c> (the features of one node) sets the input, the slot's width the embedding width e, the
/// options the hidden width of the node pre-processing MLP.
/// </summary>
public sealed class DagGnnEncoderProvider : IEncoderProvider<DagGnnOptions>
{
    /// <summary>The modality it encodes.</summary>
    public const string GraphModality = "graph";

    /// <summary>The encoder id.</summary>
    public const string EncoderId = "encoder.dag-gnn";

    /// <inheritdoc />
    public string Id => EncoderId;

    /// <inheritdoc />
    public string Modality => GraphModality;

    /// <inheritdoc />
    public string Description => "Decima's reverse-flow message passing over DAGs: DagBatch [nodes, features] -> DagEncoding (node, DAG and global embeddings of the slot's width)";

    /// <inheritdoc />
    public Type InputType => typeof(DagBatch);

    /// <inheritdoc />
    public Type OutputType => typeof(DagEncoding);

    /// <inheritdoc />
    public IModalityEncoder Create(EncoderContext context, DagGnnOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (context.ItemShape.Count != 1 || context.ItemShape[0] < 1)
        {
            throw new ArgumentException($"{EncoderId} encodes nodes of shape [features], not [{string.Join(", ", context.ItemShape)}]");
        }

        return new DagGnnEncoder(DagGnnShape.NetLlm(checked((int)context.ItemShape[0]), options.Hidden, context.Width));
    }
}
