using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Encoders.Modalities;
using NetLlm.Baselines.Decima;
using NetLlm.Encoders.Graph;
using NetLlm.Tasks.JobScheduling.Model;
using TorchSharp;
using static NetLlm.Tasks.JobScheduling.Tests.SyntheticObservations;
using static TorchSharp.torch;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>The DAG encoder plugin: message-passing schedule, exact values on a small DAG, batching, its provider.</summary>
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
        using var encoder = new DagGnnEncoder(DecimaShape.Encoder());
        // A chain 0 -> 1 -> 2 plus an isolated node 3 in a second job.
        var obs = Make(10, 4, 2, new Job(3, [(0, 1), (1, 2)], [0]), new Job(1, [], [0]));
        using var batch = CjsGraphs.Batch([obs]);
        using var h = encoder.forward(batch);
        using var mlps = new MlpRefs(encoder);

        var x = batch.NodeFeatures;
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
        using var encoder = new DagGnnEncoder(DagGnnShape.NetLlm(CjsObservation.FeatureCount, hidden: 8, embed: 12));
        var obs = Make(10, 4, 2, new Job(1, [], [0]), new Job(2, [], [0, 1]));
        using var batch = CjsGraphs.Batch([obs]);
        using var h = encoder.forward(batch);
        using var mlps = new MlpRefs(encoder);

        Assert.True(mlps.Prep.forward(batch.NodeFeatures).allclose(h.Node, 1e-6, 1e-7));
    }

    [Fact]
    public void Batching_GivesTheSameEmbeddingsAsEncodingAlone()
    {
        using var encoder = new DagGnnEncoder(DagGnnShape.NetLlm(CjsObservation.FeatureCount, hidden: 8, embed: 12));
        var a = Make(10, 4, 2, new Job(4, [(0, 1), (0, 2), (1, 3), (2, 3)], [0]), new Job(2, [(0, 1)], [0]));
        var b = Make(10, 2, 0, new Job(3, [(0, 2), (1, 2)], [0, 1], Supply: 3));
        var c = Make(10, 1, 1, new Job(2, [], [0, 1]));
        using var together = CjsGraphs.Batch([a, b, c]);
        using var all = encoder.forward(together);

        var offset = 0;
        var jobOffset = 0;
        foreach (var (obs, i) in new[] { a, b, c }.Select((o, i) => (o, i)))
        {
            using var alone = CjsGraphs.Batch([obs]);
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
        using var encoder = new DagGnnEncoder(DecimaShape.Encoder());

        var names = encoder.named_parameters().Select(p => p.name).ToList();

        Assert.Contains("node_encoder.mlp_prep.0.weight", names);
        Assert.Contains("node_encoder.mlp_update.4.bias", names);
        Assert.Contains("dag_encoder.mlp.2.weight", names);
        Assert.Contains("global_encoder.mlp.4.weight", names);
        Assert.Equal(30, names.Count);
    }

    [Fact]
    public void Batch_NumbersNodesAndDagsBatchWide()
    {
        var a = Make(10, 4, 2, new Job(2, [(0, 1)], [0]), new Job(1, [], [0]));
        var b = Make(10, 2, 0, new Job(3, [(0, 2), (1, 2)], [0, 1]));

        using var batch = CjsGraphs.Batch([a, b]);

        Assert.Equal((2, 6, 3, 3), (batch.ObservationCount, batch.NodeCount, batch.DagCount, batch.EdgeCount));
        Assert.Equal([0, 3, 6], batch.NodeOffsets);
        Assert.Equal([0, 2, 3], batch.DagOffsets);
        Assert.Equal([0L, 0, 1, 2, 2, 2], batch.NodeDag.data<long>().ToArray());
        Assert.Equal([0L, 0, 1], batch.DagObservation.data<long>().ToArray());
        Assert.Equal([0, 3, 4], batch.EdgeFrom);
        Assert.Equal([1, 5, 5], batch.EdgeTo);
        Assert.Equal([6L, CjsObservation.FeatureCount], batch.NodeFeatures.shape);
        Assert.Equal(b.NodeFeatures.ToArray(), batch.NodeFeatures.narrow(0, 3, 3).flatten().data<float>().ToArray());
    }

    [Fact]
    public void Provider_CreatesNetLlmsWidths_FromTheSlotAndItsOptions()
    {
        var provider = new DagGnnEncoderProvider();

        var encoder = (DagGnnEncoder)provider.Create(new EncoderContext(256, [CjsObservation.FeatureCount], null), new DagGnnOptions());
        using var module = encoder.Module;

        Assert.Equal(("encoder.dag-gnn", "graph", typeof(DagBatch), typeof(DagEncoding)), (provider.Id, provider.Modality, provider.InputType, provider.OutputType));
        Assert.Equal(typeof(DagGnnOptions), ((IEncoderProvider)provider).OptionsType);
        Assert.Equal(256, encoder.EmbeddingDim);
        Assert.Equal(-1, ((IModalityEncoder)encoder).TokensPerItem);
        var shapes = encoder.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal([128L, 5], shapes["node_encoder.mlp_prep.0.weight"]);
        Assert.Equal([256L, 128], shapes["node_encoder.mlp_prep.2.weight"]);
        Assert.Equal([256L, 5 + 256], shapes["dag_encoder.mlp.0.weight"]);
        Assert.Equal([256L, 256], shapes["global_encoder.mlp.0.weight"]);
    }

    [Fact]
    public void Provider_RejectsItemsThatAreNotNodeFeatureVectors_AndTheEncoderAWrongFeatureCount()
    {
        var provider = new DagGnnEncoderProvider();
        var shape = Assert.Throws<ArgumentException>(() => provider.Create(new EncoderContext(16, [2, 5], null), new DagGnnOptions()));
        using var encoder = (DagGnnEncoder)provider.Create(new EncoderContext(16, [4], null), new DagGnnOptions { Hidden = 8 });
        using var batch = CjsGraphs.Batch([Make(10, 4, 0, new Job(2, [(0, 1)], [0]))]);

        var features = Assert.Throws<ArgumentException>(() => encoder.Encode(batch));

        Assert.Contains("[features]", shape.Message, StringComparison.Ordinal);
        Assert.Contains("takes 4 features per node, the batch has 5", features.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_AreTheHiddenWidth()
    {
        var field = Assert.Single(NetLlm.Core.Options.OptionSchema.Of<DagGnnOptions>().Fields);

        Assert.Equal(("hidden", 1.0, 65536.0), (field.Name, field.Minimum, field.Maximum));
        Assert.Equal(128, new DagGnnOptions().Hidden);
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
