using NetLlm.Abstractions.Encoders.Modalities;
using NetLlm.Encoders.Graph;
using NetLlm.Tasks.JobScheduling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Baselines.Decima;

/// <summary>
/// Decima's actor (spark-sched-sim <c>ActorNetwork</c>, config <c>decima_tpch.yaml</c>): the DAG GNN encoder
/// (embedding 16), a stage policy network scoring each schedulable stage from <c>[x, h_node, h_dag, h_glob]</c>
/// (5 + 3·16 = 53 inputs) and an executor policy network scoring each executor count k &lt; cap from
/// <c>[x_dag (first 3 features of the job's first node), h_dag, h_glob, k/N]</c> (3 + 2·16 + 1 = 36 inputs); both MLPs
/// are 64-64 with Tanh. Parameter names match the checkpoint (20,802 parameters).
/// </summary>
public sealed class DecimaActor : nn.Module
{
    /// <summary>Node features used as DAG features by the executor network.</summary>
    public const int DagFeatures = 3;

#pragma warning disable IDE1006 // state-dict names
    private readonly DagGnnEncoder encoder;
    private readonly ScoreNetwork stage_policy_network;
    private readonly ScoreNetwork exec_policy_network;
#pragma warning restore IDE1006

    /// <summary>Creates the actor with freshly initialised weights (load them with <see cref="DecimaWeights"/>).</summary>
    /// <param name="embed">Embedding width (16 in the checkpoint).</param>
    public DecimaActor(int embed = DecimaShape.Embedding)
        : base(nameof(DecimaActor))
    {
        encoder = new DagGnnEncoder(DecimaShape.Encoder(embed));
        stage_policy_network = new ScoreNetwork(DecimaShape.Score(CjsObservation.FeatureCount + (3 * embed)));
        exec_policy_network = new ScoreNetwork(DecimaShape.Score(DagFeatures + (2 * embed) + 1));
        RegisterComponents();
    }

    /// <summary>The graph encoder.</summary>
    public DagGnnEncoder Encoder => encoder;

    /// <summary>
    /// Scores of the schedulable stages of <paramref name="obs"/>, observation 0 of <paramref name="batch"/>: a new
    /// <c>[stages]</c> tensor (caller owns); inputs borrowed.
    /// </summary>
    /// <param name="obs">The observation.</param>
    /// <param name="batch">Its graphs.</param>
    /// <param name="h">Their embeddings.</param>
    public Tensor StageScores(CjsObservation obs, DagBatch batch, DagEncoding h)
    {
        ArgumentNullException.ThrowIfNull(obs);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(h);
        using var scope = NewDisposeScope();
        var nodes = new long[obs.SchedulableCount];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = batch.NodeOffsets[0] + obs.SchedulableNodes[i];
        }

        var idx = tensor(nodes);
        var input = cat(
            [
                batch.NodeFeatures.index_select(0, idx),
                h.Node.index_select(0, idx),
                h.Dag.index_select(0, batch.NodeDag.index_select(0, idx)),
                h.Global[0].unsqueeze(0).expand(nodes.Length, -1),
            ],
            1);
        return stage_policy_network.mlp_score.forward(input).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Scores of committing k + 1 executors (k = 0 .. cap − 1) to job <paramref name="job"/> of <paramref name="obs"/>,
    /// observation 0 of <paramref name="batch"/>: a new <c>[cap]</c> tensor (caller owns).
    /// </summary>
    /// <param name="obs">The observation.</param>
    /// <param name="batch">Its graphs.</param>
    /// <param name="h">Their embeddings.</param>
    /// <param name="job">Job index in the observation.</param>
    public Tensor ExecutorScores(CjsObservation obs, DagBatch batch, DagEncoding h, int job)
    {
        ArgumentNullException.ThrowIfNull(obs);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(h);
        var cap = obs.CommitCap(job);
        if (cap < 1)
        {
            throw new ArgumentException($"job {job} can take no executors (commit cap {cap})");
        }

        using var scope = NewDisposeScope();
        var firstNode = batch.NodeOffsets[0] + obs.JobPtr[job];
        var jobRow = batch.DagOffsets[0] + job;
        var xDag = batch.NodeFeatures[firstNode].narrow(0, 0, DagFeatures).unsqueeze(0).expand(cap, -1);
        var hDag = h.Dag[jobRow].unsqueeze(0).expand(cap, -1);
        var hGlob = h.Global[0].unsqueeze(0).expand(cap, -1);
        // k / N for k = 0 .. cap - 1, built on the host (no Scalar temporaries, see NetLlm.Core.Modules.CachedScalars).
        var fractions = new float[cap];
        for (var i = 0; i < cap; i++)
        {
            fractions[i] = i / (float)obs.NumExecutors;
        }

        var k = tensor(fractions, [cap, 1]);
        var input = cat([xDag, hDag, hGlob, k], 1);
        return exec_policy_network.mlp_score.forward(input).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>A scoring MLP (<c>mlp_score</c>).</summary>
    private sealed class ScoreNetwork : nn.Module
    {
#pragma warning disable IDE1006 // state-dict names
        public readonly Sequential mlp_score;
#pragma warning restore IDE1006

        public ScoreNetwork(MlpShape shape)
            : base("policy_network")
        {
            mlp_score = GraphMlp.Create(shape);
            RegisterComponents();
        }
    }
}
