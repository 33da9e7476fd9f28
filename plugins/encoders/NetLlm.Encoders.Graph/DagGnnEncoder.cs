using NetLlm.Core.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Tasks.JobScheduling.Graph;

/// <summary>Node, DAG and global embeddings of a <see cref="GraphBatch"/>. Owns its tensors.</summary>
/// <param name="Node">Per node <c>[nodes, e]</c>.</param>
/// <param name="Dag">Per job <c>[jobs, e]</c>.</param>
/// <param name="Global">Per observation <c>[observations, e]</c>.</param>
public sealed record DagGnnOutput(Tensor Node, Tensor Dag, Tensor Global) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Node.Dispose();
        Dag.Dispose();
        Global.Dispose();
    }
}

/// <summary>
/// Decima's graph encoder, shared by the Decima baseline and NetLLM's CJS state encoder (they differ only in the
/// widths, <see cref="DagGnnShape"/>). Node encoder: <c>h₀ = prep(x)</c>; leaves get <c>update(h₀)</c>; then, one
/// topological level at a time from the deepest, every parent receives <c>h₀ + update(Σ_children message(h_child))</c>
/// (reverse-flow message passing); an observation without edges keeps <c>prep(x)</c>. DAG encoder:
/// <c>Σ_nodes dag([x, h])</c> per job. Global encoder: <c>Σ_jobs global(h_dag)</c> per observation.
/// State-dict names follow the original: <c>node_encoder.mlp_prep.0.weight</c>, <c>dag_encoder.mlp.0.weight</c>, ...
/// </summary>
public sealed class DagGnnEncoder : nn.Module<GraphBatch, DagGnnOutput>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly NodeMlps node_encoder;
    private readonly ReadoutMlp dag_encoder;
    private readonly ReadoutMlp global_encoder;
#pragma warning restore IDE1006

    /// <summary>Creates the encoder with freshly initialised weights.</summary>
    /// <param name="shape">Widths.</param>
    public DagGnnEncoder(DagGnnShape shape)
        : base(nameof(DagGnnEncoder))
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        Shape = shape;
        node_encoder = new NodeMlps(shape);
        dag_encoder = new ReadoutMlp(shape.Dag);
        global_encoder = new ReadoutMlp(shape.Global);
        RegisterComponents();
    }

    /// <summary>The widths.</summary>
    public DagGnnShape Shape { get; }

    /// <summary>Embedding width e.</summary>
    public int EmbeddingDim => Shape.EmbeddingDim;

    /// <summary>Encodes a batch (borrowed); returns new tensors owned by the caller.</summary>
    /// <param name="batch">The graphs.</param>
    public override DagGnnOutput forward(GraphBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var x = batch.Features;
        var h0 = node_encoder.mlp_prep.forward(x);
        Tensor h;
        if (batch.Steps.Count == 0 && batch.PassesMessages is not null)
        {
            // No observation has edges: no message passing at all.
            h = h0;
        }
        else
        {
            var updated = node_encoder.mlp_update.forward(h0);
            h = batch.PassesMessages is null ? updated : where(batch.PassesMessages, updated, h0);
            foreach (var (children, slots, parents) in batch.Steps)
            {
                var messages = node_encoder.mlp_msg.forward(h.index_select(0, children));
                var sums = zeros(parents.shape[0], messages.shape[1], dtype: messages.dtype, device: messages.device)
                    .index_add(0, slots, messages, CachedScalars.Of(1.0));
                var value = h0.index_select(0, parents) + node_encoder.mlp_update.forward(sums);
                h = h.index_copy(0, parents, value);
            }
        }

        var dagIn = cat([x, h], 1);
        var perNode = dag_encoder.mlp.forward(dagIn);
        var hDag = zeros(batch.JobCount, perNode.shape[1], dtype: perNode.dtype, device: perNode.device).index_add(0, batch.NodeJob, perNode, CachedScalars.Of(1.0));
        var perJob = global_encoder.mlp.forward(hDag);
        var hGlobal = zeros(batch.Observations.Count, perJob.shape[1], dtype: perJob.dtype, device: perJob.device).index_add(0, batch.JobObservation, perJob, CachedScalars.Of(1.0));
        return new DagGnnOutput(h.MoveToOuterDisposeScope(), hDag.MoveToOuterDisposeScope(), hGlobal.MoveToOuterDisposeScope());
    }

    /// <summary>The node encoder's three MLPs.</summary>
    private sealed class NodeMlps : nn.Module
    {
#pragma warning disable IDE1006 // state-dict names
        public readonly Sequential mlp_prep;
        public readonly Sequential mlp_msg;
        public readonly Sequential mlp_update;
#pragma warning restore IDE1006

        public NodeMlps(DagGnnShape shape)
            : base("node_encoder")
        {
            mlp_prep = GraphMlp.Create(shape.Prep);
            mlp_msg = GraphMlp.Create(shape.Message);
            mlp_update = GraphMlp.Create(shape.Update);
            RegisterComponents();
        }
    }

    /// <summary>A read-out MLP (DAG or global level).</summary>
    private sealed class ReadoutMlp : nn.Module
    {
#pragma warning disable IDE1006 // state-dict names
        public readonly Sequential mlp;
#pragma warning restore IDE1006

        public ReadoutMlp(MlpShape shape)
            : base("readout")
        {
            mlp = GraphMlp.Create(shape);
            RegisterComponents();
        }
    }
}
