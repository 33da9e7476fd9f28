using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Encoders.Modalities;
using NetLlm.Core.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Encoders.Graph;

/// <summary>
/// Decima's graph encoder, used by NetLLM's CJS state encoder (<c>encoder.dag-gnn</c>) and by the Decima baseline (they
/// differ only in the widths, <see cref="DagGnnShape"/>). Node encoder: <c>h₀ = prep(x)</c>; leaves get
/// <c>update(h₀)</c>; then, one topological level at a time from the deepest, every parent receives
/// <c>h₀ + update(Σ_children message(h_child))</c> (reverse-flow message passing); an observation without edges keeps
/// <c>prep(x)</c>. DAG encoder: <c>Σ_nodes dag([x, h])</c> per DAG. Global encoder: <c>Σ_DAGs global(h_dag)</c> per
/// observation. State-dict names follow the original: <c>node_encoder.mlp_prep.0.weight</c>, <c>dag_encoder.mlp.0.weight</c>, ...
/// </summary>
public sealed class DagGnnEncoder : nn.Module<DagBatch, DagEncoding>, IModalityEncoder<DagBatch, DagEncoding>
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

    /// <inheritdoc />
    public string Modality => DagGnnEncoderProvider.GraphModality;

    /// <summary>Embedding width e of the node, DAG and global embeddings.</summary>
    public int EmbeddingDim => Shape.EmbeddingDim;

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <inheritdoc />
    public int TokensPerItem => -1;

    /// <inheritdoc />
    public DagEncoding Encode(DagBatch input) => forward(input);

    /// <summary>Encodes a batch (borrowed); returns new tensors owned by the caller.</summary>
    /// <param name="batch">The graphs.</param>
    public override DagEncoding forward(DagBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.FeatureCount != Shape.NodeFeatures)
        {
            throw new ArgumentException($"the DAG encoder takes {Shape.NodeFeatures} features per node, the batch has {batch.FeatureCount}", nameof(batch));
        }

        using var scope = NewDisposeScope();
        var plan = MessagePassingPlan.Create(batch);
        var x = batch.NodeFeatures;
        var h0 = node_encoder.mlp_prep.forward(x);
        Tensor h;
        if (plan.Steps.Count == 0 && plan.PassesMessages is not null)
        {
            // No observation has edges: no message passing at all.
            h = h0;
        }
        else
        {
            var updated = node_encoder.mlp_update.forward(h0);
            h = plan.PassesMessages is null ? updated : where(plan.PassesMessages, updated, h0);
            foreach (var (children, slots, parents) in plan.Steps)
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
        var hDag = zeros(batch.DagCount, perNode.shape[1], dtype: perNode.dtype, device: perNode.device).index_add(0, batch.NodeDag, perNode, CachedScalars.Of(1.0));
        var perDag = global_encoder.mlp.forward(hDag);
        var hGlobal = zeros(batch.ObservationCount, perDag.shape[1], dtype: perDag.dtype, device: perDag.device).index_add(0, batch.DagObservation, perDag, CachedScalars.Of(1.0));
        return new DagEncoding(h.MoveToOuterDisposeScope(), hDag.MoveToOuterDisposeScope(), hGlobal.MoveToOuterDisposeScope());
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
