using TorchSharp;

namespace NetLlm.Abstractions.Encoders.Modalities;

/// <summary>
/// The output of the <c>graph</c> modality for a <see cref="DagBatch"/>: one embedding per node, per DAG and per
/// observation (the global embedding), each of the encoder's width (<see cref="IModalityEncoder.EmbeddingDim"/>), in
/// the batch's numbering. Owns its tensors (<see cref="Dispose"/> releases them).
/// </summary>
/// <param name="Node">Node embeddings <c>[nodes, width]</c>.</param>
/// <param name="Dag">DAG embeddings <c>[dags, width]</c>.</param>
/// <param name="Global">Observation embeddings <c>[observations, width]</c>.</param>
public sealed record DagEncoding(torch.Tensor Node, torch.Tensor Dag, torch.Tensor Global) : IDisposable
{
    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        Node.Dispose();
        Dag.Dispose();
        Global.Dispose();
    }
}
