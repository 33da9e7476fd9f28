using NetLlm.Tasks.JobScheduling.Graph;
using TorchSharp;
using static NetLlm.Tasks.JobScheduling.Tests.SyntheticObservations;
using static TorchSharp.torch;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>The shared DAG encoder: message-passing schedule, exact values on a small DAG, batching.</summary>
public sealed class DagGnnEncoderTests
{
    [Fact]
    public void Levels_FollowTheOriginalsEdgeMasks_DeepestFirst()
    {
        // 0 -> 1, 0 -> 2, 1 -> 2, 3 -> 4: generations 0, 1, 2, 0, 1.
        int[] from = [0, 0, 1, 3];
        int[] to = [1, 2, 2, 4];

        Assert.Equal([0, 1, 2, 0, 1], MessagePassingLevels.Generations(5, from, to));
        var steps = MessagePassingLevels.Build(5, from, to);

        Assert.Equal(2, steps.Count);
        // Generation 1 with its children {1, 2}: edge 1 -> 2.
        Assert.Equal([2L], steps[0].Children);
        Assert.Equal([1L], steps[0].Parents);
        // Generation 0 {0, 3} with children {1, 2, 4}: every edge, parents 0, 1 and 3.
        Assert.Equal([1L, 2, 2, 4], steps[1].Children);
        Assert.Equal([0L, 1, 3], steps[1].Parents);
        Assert.Equal([0L, 0, 1, 2], steps[1].ParentSlots);
    }

    [Fact]
    public void Encoder_ComputesReverseFlowMessagePassingExactly()
    {
        using var encoder = new DagGnnEncoder(DagGnnShape.Decima());
        // A chain 0 -> 1 -> 2 plus an isolated node 3 in a second job.
        var obs = Make(10, 4, 2, new Job(3, [(0, 1), (1, 2)], [0]), new Job(1, [], [0]));
        using var batch = GraphBatch.Create([obs]);
        using var h = encoder.forward(batch);
        using var mlps = new MlpRefs(encoder);

        var x = batch.Features;
        var h0 = mlps.Prep.forward(x);
        var leaf2 = mlps.Update.forward(h0[2].unsqueeze(0));
        var node1 = h0[1].unsqueeze(0) + mlps.Update.forward(mlps.Message.forward(leaf2));
        var node0 = h0[0].unsqueeze(0) + mlps.Update.forward(mlps.Message.forward(node1));
        var isolated = mlps.Update.forward(h0[3].unsqueeze(0));
        var expectedNodes = cat([node0, node1, leaf2, isolated], 0);
        Assert.True(expectedNodes.allclose(h.Node, 1e-5, 1e-6));

        var perNode = mlps.Dag.forward(cat([x, expectedNodes], 1));
        var expectedDag = stack([perNode.narrow(0, 0, 3).sum(dim: 0), perNode[3]]);
        Assert.True(expectedDag.allclose(h.Dag, 1e-5, 1e-6));
        Assert.True(mlps.Global.forward(expectedDag).sum(0, keepdim: true).allclose(h.Global, 1e-5, 1e-6));
        Assert.Equal([4L, 16], h.Node.shape);
        Assert.Equal([2L, 16], h.Dag.shape);
        Assert.Equal([1L, 16], h.Global.shape);
    }

    [Fact]
    public void ObservationWithoutEdges_KeepsThePreprocessedFeatures()
    {
        using var encoder = new DagGnnEncoder(DagGnnShape.NetLlm(hidden: 8, embed: 12));
        var obs = Make(10, 4, 2, new Job(1, [], [0]), new Job(2, [], [0, 1]));
        using var batch = GraphBatch.Create([obs]);
        using var h = encoder.forward(batch);
        using var mlps = new MlpRefs(encoder);

        Assert.True(mlps.Prep.forward(batch.Features).allclose(h.Node, 1e-6, 1e-7));
    }

    [Fact]
    public void Batching_GivesTheSameEmbeddingsAsEncodingAlone()
    {
        using var encoder = new DagGnnEncoder(DagGnnShape.NetLlm(hidden: 8, embed: 12));
        var a = Make(10, 4, 2, new Job(4, [(0, 1), (0, 2), (1, 3), (2, 3)], [0]), new Job(2, [(0, 1)], [0]));
        var b = Make(10, 2, 0, new Job(3, [(0, 2), (1, 2)], [0, 1], Supply: 3));
        var c = Make(10, 1, 1, new Job(2, [], [0, 1]));
        using var together = GraphBatch.Create([a, b, c]);
        using var all = encoder.forward(together);

        var offset = 0;
        var jobOffset = 0;
        foreach (var (obs, i) in new[] { a, b, c }.Select((o, i) => (o, i)))
        {
            using var alone = GraphBatch.Create([obs]);
            using var h = encoder.forward(alone);
            Assert.True(h.Node.allclose(all.Node.narrow(0, offset, obs.NodeCount), 1e-5, 1e-6), $"nodes of observation {i}");
            Assert.True(h.Dag.allclose(all.Dag.narrow(0, jobOffset, obs.JobCount), 1e-5, 1e-6), $"jobs of observation {i}");
            Assert.True(h.Global.allclose(all.Global.narrow(0, i, 1), 1e-5, 1e-6), $"global of observation {i}");
            offset += obs.NodeCount;
            jobOffset += obs.JobCount;
        }
    }

    [Fact]
    public void Parameters_UseTheOriginalStateDictNames()
    {
        using var encoder = new DagGnnEncoder(DagGnnShape.Decima());

        var names = encoder.named_parameters().Select(p => p.name).ToList();

        Assert.Contains("node_encoder.mlp_prep.0.weight", names);
        Assert.Contains("node_encoder.mlp_update.4.bias", names);
        Assert.Contains("dag_encoder.mlp.2.weight", names);
        Assert.Contains("global_encoder.mlp.4.weight", names);
        Assert.Equal(30, names.Count);
    }

    /// <summary>Direct handles to the encoder's MLPs (by state-dict name) to recompute its output by hand.</summary>
    private sealed class MlpRefs(DagGnnEncoder encoder) : IDisposable
    {
        private readonly IDisposable _noGrad = no_grad();

        public nn.Module<Tensor, Tensor> Prep => Get("node_encoder.mlp_prep");

        public nn.Module<Tensor, Tensor> Message => Get("node_encoder.mlp_msg");

        public nn.Module<Tensor, Tensor> Update => Get("node_encoder.mlp_update");

        public nn.Module<Tensor, Tensor> Dag => Get("dag_encoder.mlp");

        public nn.Module<Tensor, Tensor> Global => Get("global_encoder.mlp");

        public void Dispose() => _noGrad.Dispose();

        private nn.Module<Tensor, Tensor> Get(string name) =>
            (nn.Module<Tensor, Tensor>)encoder.named_modules().Single(m => m.name == name).module;
    }
}
