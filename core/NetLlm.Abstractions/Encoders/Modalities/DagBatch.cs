using TorchSharp;

namespace NetLlm.Abstractions.Encoders.Modalities;

/// <summary>
/// The input of the <c>graph</c> modality: the directed acyclic graphs (DAGs) of several observations as one disjoint
/// graph, as an encoder of job DAGs (Decima's message passing, a graph transformer, ...) needs them. Nodes and DAGs
/// are numbered batch-wide; the nodes of observation <c>o</c> are <c>NodeOffsets[o] .. NodeOffsets[o + 1] - 1</c> and
/// its DAGs <c>DagOffsets[o] .. DagOffsets[o + 1] - 1</c>; every DAG has at least one node, every observation at
/// least one DAG. An edge runs from a parent (a node that must finish first) to a child, both in the same DAG.
/// Owns its tensors (<see cref="Dispose"/> releases them); the arrays are plain host data for planning message
/// passing on the CPU.
/// </summary>
/// <param name="NodeFeatures">Node features <c>[nodes, features]</c> (float32).</param>
/// <param name="EdgeFrom">Parent node of each edge (batch-wide node index).</param>
/// <param name="EdgeTo">Child node of each edge (batch-wide node index).</param>
/// <param name="NodeDag">DAG of each node, batch-wide <c>[nodes]</c> (int64, on the device of <paramref name="NodeFeatures"/>).</param>
/// <param name="DagObservation">Observation of each DAG <c>[dags]</c> (int64, same device).</param>
/// <param name="NodeOffsets">First node of each observation, and the node count last (<c>observations + 1</c> entries).</param>
/// <param name="DagOffsets">First DAG of each observation, and the DAG count last (<c>observations + 1</c> entries).</param>
public sealed record DagBatch(
    torch.Tensor NodeFeatures,
    int[] EdgeFrom,
    int[] EdgeTo,
    torch.Tensor NodeDag,
    torch.Tensor DagObservation,
    int[] NodeOffsets,
    int[] DagOffsets) : IDisposable
{
    /// <summary>Observations in the batch.</summary>
    public int ObservationCount => NodeOffsets.Length - 1;

    /// <summary>Nodes in the batch.</summary>
    public int NodeCount => NodeOffsets[^1];

    /// <summary>DAGs in the batch.</summary>
    public int DagCount => DagOffsets[^1];

    /// <summary>Node features per node.</summary>
    public int FeatureCount => (int)NodeFeatures.shape[1];

    /// <summary>Edges in the batch.</summary>
    public int EdgeCount => EdgeFrom.Length;

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        NodeFeatures.Dispose();
        NodeDag.Dispose();
        DagObservation.Dispose();
    }
}
