using NetLlm.Abstractions.Encoders.Modalities;
using static TorchSharp.torch;

namespace NetLlm.Tasks.JobScheduling.Model;

/// <summary>
/// CJS observations as the <c>graph</c> modality's input: every observation's job DAGs (its incomplete stages as
/// nodes with the five <see cref="CjsObservation.NodeFeatures"/>, the dependency edges among them) in one
/// <see cref="DagBatch"/>, one DAG per active job, in the observations' node and job order.
/// </summary>
public static class CjsGraphs
{
    /// <summary>Builds the batch; observations are borrowed and must each have at least one node. The caller owns the result.</summary>
    /// <param name="observations">Observations.</param>
    /// <param name="device">Device of the tensors (CPU by default).</param>
    public static DagBatch Batch(IReadOnlyList<CjsObservation> observations, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Count == 0)
        {
            throw new ArgumentException("a graph batch needs at least one observation");
        }

        var nodeOffsets = new int[observations.Count + 1];
        var dagOffsets = new int[observations.Count + 1];
        var edges = 0;
        for (var o = 0; o < observations.Count; o++)
        {
            var obs = observations[o];
            if (obs.NodeCount == 0)
            {
                throw new ArgumentException($"observation {o} has no active stages (the episode is over); nothing to encode");
            }

            nodeOffsets[o + 1] = nodeOffsets[o] + obs.NodeCount;
            dagOffsets[o + 1] = dagOffsets[o] + obs.JobCount;
            edges += obs.EdgeCount;
        }

        var n = nodeOffsets[^1];
        var x = new float[n * CjsObservation.FeatureCount];
        var nodeDag = new long[n];
        var dagObservation = new long[dagOffsets[^1]];
        var from = new int[edges];
        var to = new int[edges];
        var m = 0;
        for (var o = 0; o < observations.Count; o++)
        {
            var obs = observations[o];
            var nb = nodeOffsets[o];
            obs.NodeFeatures.CopyTo(x.AsSpan(nb * CjsObservation.FeatureCount));
            var ptr = obs.JobPtr;
            for (var j = 0; j < obs.JobCount; j++)
            {
                dagObservation[dagOffsets[o] + j] = o;
                for (var i = ptr[j]; i < ptr[j + 1]; i++)
                {
                    nodeDag[nb + i] = dagOffsets[o] + j;
                }
            }

            for (var e = 0; e < obs.EdgeCount; e++)
            {
                from[m] = nb + obs.EdgeFrom[e];
                to[m] = nb + obs.EdgeTo[e];
                m++;
            }
        }

        var dev = device ?? CPU;

        // The batch owns its tensors: they must outlive any dispose scope of the caller.
        return new DagBatch(
            tensor(x, [n, CjsObservation.FeatureCount], device: dev).DetachFromDisposeScope(),
            from,
            to,
            tensor(nodeDag, device: dev).DetachFromDisposeScope(),
            tensor(dagObservation, device: dev).DetachFromDisposeScope(),
            nodeOffsets,
            dagOffsets);
    }
}
