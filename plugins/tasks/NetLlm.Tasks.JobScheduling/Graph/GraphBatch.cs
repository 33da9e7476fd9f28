using static TorchSharp.torch;

namespace NetLlm.Tasks.JobScheduling.Graph;

/// <summary>
/// Several observations' job DAGs as one disjoint graph, ready for <see cref="DagGnnEncoder"/>: node features,
/// node → job and job → observation indices, and the message-passing steps. Owns its tensors (dispose it).
/// </summary>
public sealed class GraphBatch : IDisposable
{
    private readonly int[] _nodeOffset;
    private readonly int[] _jobOffset;

    private GraphBatch(
        IReadOnlyList<CjsObservation> observations,
        int[] nodeOffset,
        int[] jobOffset,
        Tensor features,
        Tensor nodeJob,
        Tensor jobObservation,
        Tensor? passesMessages,
        IReadOnlyList<(Tensor Children, Tensor Slots, Tensor Parents)> steps)
    {
        Observations = observations;
        _nodeOffset = nodeOffset;
        _jobOffset = jobOffset;
        Features = features;
        NodeJob = nodeJob;
        JobObservation = jobObservation;
        PassesMessages = passesMessages;
        Steps = steps;
    }

    /// <summary>The observations (borrowed).</summary>
    public IReadOnlyList<CjsObservation> Observations { get; }

    /// <summary>Total nodes.</summary>
    public int NodeCount => _nodeOffset[^1];

    /// <summary>Total jobs.</summary>
    public int JobCount => _jobOffset[^1];

    /// <summary>Node features <c>[nodes, 5]</c> (float32).</summary>
    public Tensor Features { get; }

    /// <summary>Batch-wide job index of each node <c>[nodes]</c> (int64).</summary>
    public Tensor NodeJob { get; }

    /// <summary>Observation index of each job <c>[jobs]</c> (int64).</summary>
    public Tensor JobObservation { get; }

    /// <summary>
    /// <c>[nodes, 1]</c> boolean: the node's observation has edges (so its leaves get the update MLP); null when every
    /// observation has edges. The original skips message passing — and the update MLP — for an edgeless observation.
    /// </summary>
    public Tensor? PassesMessages { get; }

    /// <summary>Message-passing steps, deepest first: sending children, their receiver slots, receiving parents.</summary>
    public IReadOnlyList<(Tensor Children, Tensor Slots, Tensor Parents)> Steps { get; }

    /// <summary>Batch-wide index of node 0 of observation <paramref name="observation"/>.</summary>
    public int NodeOffset(int observation) => _nodeOffset[observation];

    /// <summary>Batch-wide index of job 0 of observation <paramref name="observation"/>.</summary>
    public int JobOffset(int observation) => _jobOffset[observation];

    /// <summary>Builds the batch; observations are borrowed and must not be empty of nodes.</summary>
    /// <param name="observations">Observations.</param>
    /// <param name="device">Device of the tensors (CPU by default).</param>
    public static GraphBatch Create(IReadOnlyList<CjsObservation> observations, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Count == 0)
        {
            throw new ArgumentException("a graph batch needs at least one observation");
        }

        var nodeOffset = new int[observations.Count + 1];
        var jobOffset = new int[observations.Count + 1];
        var edges = 0;
        for (var o = 0; o < observations.Count; o++)
        {
            var obs = observations[o];
            if (obs.NodeCount == 0)
            {
                throw new ArgumentException($"observation {o} has no active stages (the episode is over); nothing to encode");
            }

            nodeOffset[o + 1] = nodeOffset[o] + obs.NodeCount;
            jobOffset[o + 1] = jobOffset[o] + obs.JobCount;
            edges += obs.EdgeCount;
        }

        var n = nodeOffset[^1];
        var x = new float[n * CjsObservation.FeatureCount];
        var nodeJob = new long[n];
        var jobObs = new long[jobOffset[^1]];
        var from = new int[edges];
        var to = new int[edges];
        var passes = new bool[n];
        var allPass = true;
        var m = 0;
        for (var o = 0; o < observations.Count; o++)
        {
            var obs = observations[o];
            var nb = nodeOffset[o];
            obs.NodeFeatures.CopyTo(x.AsSpan(nb * CjsObservation.FeatureCount));
            var ptr = obs.JobPtr;
            for (var j = 0; j < obs.JobCount; j++)
            {
                jobObs[jobOffset[o] + j] = o;
                for (var i = ptr[j]; i < ptr[j + 1]; i++)
                {
                    nodeJob[nb + i] = jobOffset[o] + j;
                }
            }

            for (var e = 0; e < obs.EdgeCount; e++)
            {
                from[m] = nb + obs.EdgeFrom[e];
                to[m] = nb + obs.EdgeTo[e];
                m++;
            }

            var hasEdges = obs.EdgeCount > 0;
            allPass &= hasEdges;
            for (var i = 0; i < obs.NodeCount; i++)
            {
                passes[nb + i] = hasEdges;
            }
        }

        var levels = MessagePassingLevels.Build(n, from, to);
        var dev = device ?? CPU;

        // The batch owns its tensors: they must outlive any dispose scope of the caller.
        Tensor Own(Tensor t) => t.DetachFromDisposeScope();
        var steps = levels
            .Select(l => (Own(tensor(l.Children, device: dev)), Own(tensor(l.ParentSlots, device: dev)), Own(tensor(l.Parents, device: dev))))
            .ToList();
        Tensor? passesTensor = null;
        if (!allPass)
        {
            using var flat = tensor(passes, device: dev);
            passesTensor = Own(flat.unsqueeze(1));
        }

        return new GraphBatch(
            observations,
            nodeOffset,
            jobOffset,
            Own(tensor(x, [n, CjsObservation.FeatureCount], device: dev)),
            Own(tensor(nodeJob, device: dev)),
            Own(tensor(jobObs, device: dev)),
            passesTensor,
            steps);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Features.Dispose();
        NodeJob.Dispose();
        JobObservation.Dispose();
        PassesMessages?.Dispose();
        foreach (var (c, s, p) in Steps)
        {
            c.Dispose();
            s.Dispose();
            p.Dispose();
        }
    }
}
