using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Encoders.Modalities;
using NetLlm.Abstractions.Models;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.RoundRobin;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;
using NetLlm.Tasks.JobScheduling.Model;
using NetLlm.Tasks.JobScheduling.Options;
using NetLlm.Tasks.JobScheduling.Simulation;
using NetLlm.Testing;
using TorchSharp;
using TorchSharp.Modules;
using static NetLlm.Tasks.JobScheduling.Tests.SyntheticObservations;
using static TorchSharp.torch;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>
/// NetLLM's CJS model as the engine assembles it from the task's design: the graph encoder plugin in slot
/// <c>state_encoder</c>, the tokenizer, the heads with the tokenizer's valid choices; the state and action codecs.
/// </summary>
public sealed class CjsModelTests
{
    private static readonly CjsTask Task = new();

    private static readonly EncoderChoice SmallEncoder = new(CjsTokenizer.StateSlot, null, [new OptionInput("hidden", 8, "test")]);

    private static CjsObservation Sample() =>
        Make(50, 20, 2, new Job(3, [(0, 1), (1, 2)], [0], Supply: 45), new Job(4, [(0, 3), (1, 3)], [0, 1, 2]));

    private static CjsObservation Other() =>
        Make(30, 3, 0, new Job(2, [(0, 1)], [0], Supply: 2));

    /// <summary>The model with graph embeddings of 16, hidden 8 and token width <paramref name="d"/>, as the engine builds it.</summary>
    private static DecisionTaskModel<CjsObservation> Small(int d = 24, params IEncoderProvider[] more) =>
        DecisionTaskModel<CjsObservation>.Create(Task.DesignModel(new CjsModelOptions { Sfd = 16 }), CjsTestData.Registry(Task, more: more), d, [SmallEncoder], null, CjsTask.TaskId);

    [Fact]
    public void Segments_HaveOneTokenPerSchedulableStage_AndOneExecutorToken()
    {
        using var model = Small();
        CjsObservation[] states = [Sample(), Other()];

        using var stages = model.EncodeSegment(0, states, [[], []]);
        using var executors = model.EncodeSegment(1, states, [[2], [CjsChoices.NoStage]]);
        using var actions = model.EmbedAction(states, [[2, 4], [CjsChoices.NoStage, 0]]);

        Assert.Equal([2L, 4, 24], stages.Tokens.shape);
        Assert.Equal([4, 1], stages.Lengths);
        Assert.Equal([2L, 1, 24], executors.Tokens.shape);
        Assert.Equal([1, 1], executors.Lengths);
        Assert.Equal([2L, 24], actions.shape);
        Assert.Equal([CjsChoices.MaxStages + 1, CjsChoices.MaxExecutors], model.ComponentChoices);
        // Padding rows are zeros.
        Assert.Equal(0f, stages.Tokens[1, 1].abs().sum().item<float>());
    }

    [Fact]
    public void Parameters_HaveTheOriginalNamesShapesAndCreationOrder()
    {
        using var model = DecisionTaskModel<CjsObservation>.Create(Task.DesignModel(new CjsModelOptions()), CjsTestData.Registry(Task), 64, [], null, CjsTask.TaskId);
        var named = model.Module.named_parameters().ToList();
        var p = named.ToDictionary(x => x.name, x => x.parameter.shape);

        Assert.Equal([128L, 5], p["state_encoder.node_encoder.mlp_prep.0.weight"]);
        Assert.Equal([256L, 128], p["state_encoder.node_encoder.mlp_prep.2.weight"]);
        Assert.Equal([64L, 5 + (3 * 256)], p["embed_stage_state.weight"]);
        Assert.Equal([64L, 3 + (2 * 256)], p["embed_exec_state.weight"]);
        Assert.Equal([64L, 2], p["embed_action.weight"]);
        Assert.Equal([101L, 64], p["stage_action_head2.weight"]);
        Assert.Equal([50L, 64], p["exec_action_head.weight"]);
        // The original's modules_except_plm order: encoder, stage, executor and action embeddings, then the heads.
        string[] order = ["state_encoder", "embed_stage_state", "embed_exec_state", "embed_action", "stage_action_head2", "exec_action_head"];
        Assert.Equal(order, named.Select(x => x.name.Split('.')[0]).Distinct());
        Assert.Equal("encoder.dag-gnn", Assert.Single(model.Encoders).Id);
        Assert.Equal(128, model.DescribeEncoders()["state_encoder"]!["options"]!["hidden"]!.GetValue<int>());
    }

    [Fact]
    public void Design_HasOneGraphSlotAndTheTwoHeads()
    {
        var design = Task.DesignModel(new CjsModelOptions { Sfd = 32 });

        var slot = Assert.Single(design.Encoders);
        Assert.Equal(("state_encoder", "graph", typeof(DagBatch), typeof(DagEncoding), "encoder.dag-gnn", 32), (slot.Name, slot.Modality, slot.InputType, slot.OutputType, slot.DefaultEncoder, slot.Width));
        Assert.Equal([(long)CjsObservation.FeatureCount], slot.ItemShape);
        Assert.Equal([("stage_action_head2", 101), ("exec_action_head", 50)], design.Heads.Select(h => (h.Name, h.Outputs)));
        Assert.All(design.Heads, h => Assert.Equal(HeadKind.Categorical, h.Kind));
        Assert.Equal(["sfd", "always-stage"], OptionSchema.Of<CjsModelOptions>().Fields.Select(f => f.Name));
        Assert.Equal((256, false), (new CjsModelOptions().Sfd, new CjsModelOptions().AlwaysStage));
    }

    [Fact]
    public void AlwaysStage_MasksNoStage_AndKeepsTheSchedulableStages()
    {
        using var model = DecisionTaskModel<CjsObservation>.Create(Task.DesignModel(new CjsModelOptions { Sfd = 16, AlwaysStage = true }), CjsTestData.Registry(Task), 24, [SmallEncoder], null, CjsTask.TaskId);
        CjsObservation[] states = [Sample(), Other()];
        using var hidden = randn(2, 24);

        using var stage = model.Logits(0, hidden, states, [[], []]);

        var s = stage.data<float>().ToArray();
        Assert.Equal(Valid(0, 4), Enumerable.Range(0, 101).Where(i => s[i] > -1e6f));
        Assert.Equal(Valid(0, 1), Enumerable.Range(0, 101).Where(i => s[101 + i] > -1e6f));
    }

    [Fact]
    public void AnotherGraphEncoder_WrittenAgainstTheContractsOnly_FillsTheSlot()
    {
        var mean = new MeanGraphEncoderProvider();
        using var model = DecisionTaskModel<CjsObservation>.Create(
            Task.DesignModel(new CjsModelOptions { Sfd = 6 }), CjsTestData.Registry(Task, more: [mean]), 24, [new EncoderChoice(CjsTokenizer.StateSlot, MeanGraphEncoderProvider.EncoderId, [])], null, CjsTask.TaskId);
        CjsObservation[] states = [Sample(), Other()];

        using var stages = model.EncodeSegment(0, states, [[], []]);
        using var executors = model.EncodeSegment(1, states, [[2], [CjsChoices.NoStage]]);

        Assert.Equal([2L, 4, 24], stages.Tokens.shape);
        Assert.Equal([2L, 1, 24], executors.Tokens.shape);
        Assert.Equal([24L, 5 + (3 * 6)], model.Module.named_parameters().Single(p => p.name == "embed_stage_state.weight").parameter.shape);
        Assert.Contains(model.Module.named_parameters(), p => p.name == "state_encoder.proj.weight");
    }

    [Fact]
    public void AnEncoderOfAnotherModality_IsRefusedForTheSlot()
    {
        var e = Assert.Throws<ArgumentException>(() => DecisionTaskModel<CjsObservation>.Create(
            Task.DesignModel(new CjsModelOptions()), CjsTestData.Registry(Task, more: [new OtherModalityProvider()]), 24, [new EncoderChoice(CjsTokenizer.StateSlot, "test.other", [])], null, CjsTask.TaskId));

        Assert.Contains("needs modality 'graph'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Logits_MaskEveryInvalidChoice()
    {
        using var model = Small();
        CjsObservation[] states = [Sample(), Other()];
        using var hidden = randn(2, 24);

        using var stage = model.Logits(0, hidden, states, [[], []]);
        using var exec = model.Logits(1, hidden, states, [[0], [CjsChoices.NoStage]]);
        using var exec2 = model.Logits(1, hidden, states, [[3], [0]]);

        Assert.Equal([2L, 101], stage.shape);
        Assert.Equal([2L, 50], exec.shape);
        var s = stage.data<float>().ToArray();
        // State 0: 4 stages and "no stage"; state 1: 1 stage and "no stage".
        Assert.Equal(Valid(0, 4).Append(100), Enumerable.Range(0, 101).Where(i => s[i] > -1e6f));
        Assert.Equal(Valid(0, 1).Append(100), Enumerable.Range(0, 101).Where(i => s[101 + i] > -1e6f));
        var e = exec.data<float>().ToArray();
        // Stage 0 is in job 0 (supply 45 of 50): cap 5. "No stage": one choice.
        Assert.Equal(Valid(0, 5), Enumerable.Range(0, 50).Where(i => e[i] > -1e6f));
        Assert.Equal(Valid(0, 1), Enumerable.Range(0, 50).Where(i => e[50 + i] > -1e6f));
        var e2 = exec2.data<float>().ToArray();
        // Stage 3 is in job 1: cap min(50, 20) = 20; state 1's stage 0 in its source job: cap = committable 3.
        Assert.Equal(Valid(0, 20), Enumerable.Range(0, 50).Where(i => e2[i] > -1e6f));
        Assert.Equal(Valid(0, 3), Enumerable.Range(0, 50).Where(i => e2[50 + i] > -1e6f));
    }

    [DataFact("cjs")]
    public void EveryDecodedAnswer_IsAValidEnvironmentAction()
    {
        // Drive a whole episode with answers decoded from random hidden states (argmax and sampled).
        using var model = Small();
        var actionCodec = Task.Actions;
        using var env = new SparkSchedulingEnvironment(CjsTestData.Catalog, CjsTestData.Small(jobs: 15, executors: 10));
        var random = new Random(4);
        var obs = env.Reset(2).Observation;
        var decisions = 0;
        using var noGrad = no_grad();
        while (true)
        {
            var states = new[] { obs };
            using var h0 = randn(1, 24);
            using var l0 = model.Logits(0, h0, states, [[]]);
            var stage = Choose(l0.data<float>().ToArray(), random, decisions % 2 == 0);
            using var h1 = randn(1, 24);
            using var l1 = model.Logits(1, h1, states, [[stage]]);
            var executors = Choose(l1.data<float>().ToArray(), random, decisions % 3 == 0);
            var action = actionCodec.FromComponents(obs, [stage, executors]);
            Assert.True(env.ActionSpace.Contains(action), $"decoded {action} is not valid");
            var step = env.Step(action);
            decisions++;
            obs = step.Observation;
            if (step.Done)
            {
                break;
            }
        }

        // Random answers may idle every executor ("no stage"), which ends the episode early (truncated); every answer
        // was still a valid action, and the jobs that finished did so through decoded stage choices.
        Assert.True(decisions >= 15);
        Assert.True(env.CompletedJobs > 0);
    }

    [Fact]
    public void Gradients_ReachTheGraphEncoder()
    {
        using var model = Small();
        CjsObservation[] states = [Sample(), Other()];
        using var stages = model.EncodeSegment(0, states, [[], []]);
        using var executors = model.EncodeSegment(1, states, [[1], [0]]);
        using var loss = stages.Tokens.sum() + (executors.Tokens * executors.Tokens).sum();

        loss.backward();

        var prep = model.Module.named_parameters().Single(p => p.name == "state_encoder.node_encoder.mlp_prep.0.weight").parameter;
        Assert.True(prep.grad is not null && prep.grad.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void EncodingTwice_GivesTheSameTokens()
    {
        using var model = Small();
        using var noGrad = no_grad();
        CjsObservation[] states = [Sample(), Other()];
        using var first = model.EncodeSegment(1, states, [[2], [0]]);
        using var other = model.EncodeSegment(0, [Other()], [[]]);
        using var again = model.EncodeSegment(1, states, [[2], [0]]);

        // Equal up to float summation order (another test may change libtorch's thread count meanwhile).
        Assert.True(first.Tokens.allclose(again.Tokens, 1e-5, 1e-6));
    }

    [DataFact("cjs")]
    public void Codec_RoundTripsObservations()
    {
        var codec = Task.States;
        using var env = new SparkSchedulingEnvironment(CjsTestData.Catalog, CjsTestData.Small(jobs: 8, executors: 6));
        using var policy = new RoundRobinScheduler(true);
        var obs = env.Reset(6).Observation;
        for (var i = 0; i < 40; i++)
        {
            var store = new ArrayStore();
            codec.Write(obs, store);
            var back = codec.Read(store);

            Assert.Equal(obs.NumExecutors, back.NumExecutors);
            Assert.Equal(obs.CommittableExecutors, back.CommittableExecutors);
            Assert.Equal(obs.SourceJobIndex, back.SourceJobIndex);
            Assert.Equal(obs.WallTimeMs, back.WallTimeMs);
            Assert.Equal(obs.JobPtr.ToArray(), back.JobPtr.ToArray());
            Assert.Equal(obs.JobIds.ToArray(), back.JobIds.ToArray());
            Assert.Equal(obs.ExecSupplies.ToArray(), back.ExecSupplies.ToArray());
            Assert.Equal(obs.StageIds.ToArray(), back.StageIds.ToArray());
            Assert.Equal(obs.RemainingTasks.ToArray(), back.RemainingTasks.ToArray());
            Assert.Equal(obs.RecentDurationsMs.ToArray(), back.RecentDurationsMs.ToArray());
            Assert.Equal(obs.SchedulableNodes.ToArray(), back.SchedulableNodes.ToArray());
            Assert.Equal(obs.EdgeFrom.ToArray(), back.EdgeFrom.ToArray());
            Assert.Equal(obs.EdgeTo.ToArray(), back.EdgeTo.ToArray());
            Assert.Equal(obs.NodeFeatures.ToArray(), back.NodeFeatures.ToArray());

            var step = env.Step(policy.Act(obs));
            if (step.Done)
            {
                break;
            }

            obs = step.Observation;
        }
    }

    [Fact]
    public void Codec_RejectsABrokenState()
    {
        var codec = Task.States;
        var store = new ArrayStore();
        codec.Write(Sample(), store);
        store.IntArrays["edge_to"] = [99, 1, 3, 3];

        var e = Assert.Throws<InvalidDataException>(() => codec.Read(store));

        Assert.Contains("CJS state", e.Message, StringComparison.Ordinal);
        Assert.Contains("out of range", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionCodec_SplitsActionsIntoComponentsAndBack()
    {
        var actionCodec = Task.Actions;
        var obs = Sample();

        Assert.Equal([2, 4], actionCodec.ToComponents(obs, new CjsAction(2, 5)));
        Assert.Equal(new CjsAction(2, 5), actionCodec.FromComponents(obs, [2, 4]));
        // Fair's "no stage" action has its own choice.
        Assert.Equal([CjsChoices.NoStage, 0], actionCodec.ToComponents(obs, new CjsAction(-1, 20)));
        Assert.Equal(-1, actionCodec.FromComponents(obs, [CjsChoices.NoStage, 0]).StageIndex);
        // Counts above the job's commit cap are recorded as the cap (stage 0: job 0 can take 5).
        Assert.Equal([0, 4], actionCodec.ToComponents(obs, new CjsAction(0, 20)));
        Assert.Throws<ArgumentException>(() => actionCodec.FromComponents(obs, [0, 5]));
        Assert.Throws<ArgumentException>(() => actionCodec.ToComponents(obs, new CjsAction(4, 1)));
    }

    private static IEnumerable<int> Valid(int from, int count) => Enumerable.Range(from, count);

    private static int Choose(float[] logits, Random random, bool argmax)
    {
        var best = Array.IndexOf(logits, logits.Max());
        if (argmax)
        {
            return best;
        }

        var weights = logits.Select(l => Math.Exp(l - logits[best])).ToArray();
        var u = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u <= 0)
            {
                return i;
            }
        }

        return best;
    }

    /// <summary>A third party's graph encoder: per-node projection, mean per DAG and per observation (contracts only).</summary>
    private sealed class MeanGraphEncoderProvider : IEncoderProvider<NoOptions>
    {
        public const string EncoderId = "test.mean-graph";

        public string Id => EncoderId;

        public string Modality => "graph";

        public string Description => "mean of projected node features";

        public Type InputType => typeof(DagBatch);

        public Type OutputType => typeof(DagEncoding);

        public IModalityEncoder Create(EncoderContext context, NoOptions options) => new Encoder(checked((int)context.ItemShape[0]), context.Width);

        private sealed class Encoder : nn.Module<DagBatch, DagEncoding>, IModalityEncoder<DagBatch, DagEncoding>
        {
#pragma warning disable IDE1006 // state-dict names
            private readonly Linear proj;
#pragma warning restore IDE1006

            public Encoder(int features, int width)
                : base("MeanGraph")
            {
                EmbeddingDim = width;
                proj = nn.Linear(features, width);
                RegisterComponents();
            }

            public string Modality => "graph";

            public int EmbeddingDim { get; }

            public nn.Module Module => this;

            public DagEncoding Encode(DagBatch input) => forward(input);

            public override DagEncoding forward(DagBatch input)
            {
                using var scope = NewDisposeScope();
                var node = proj.forward(input.NodeFeatures);
                var dag = zeros(input.DagCount, EmbeddingDim).index_add(0, input.NodeDag, node, 1.0);
                var global = zeros(input.ObservationCount, EmbeddingDim).index_add(0, input.DagObservation, dag, 1.0);
                return new DagEncoding(node.MoveToOuterDisposeScope(), dag.MoveToOuterDisposeScope(), global.MoveToOuterDisposeScope());
            }
        }
    }

    /// <summary>An encoder of another modality with the same types.</summary>
    private sealed class OtherModalityProvider : IEncoderProvider<NoOptions>
    {
        public string Id => "test.other";

        public string Modality => "series";

        public string Description => "not a graph encoder";

        public Type InputType => typeof(DagBatch);

        public Type OutputType => typeof(DagEncoding);

        public IModalityEncoder Create(EncoderContext context, NoOptions options) => throw new InvalidOperationException("never created");
    }

    /// <summary>In-memory state arrays.</summary>
    private sealed class ArrayStore : IStateWriter, IStateReader
    {
        public Dictionary<string, float[]> FloatArrays { get; } = [];

        public Dictionary<string, long[]> IntArrays { get; } = [];

        public void Floats(string name, ReadOnlySpan<float> values) => FloatArrays[name] = values.ToArray();

        public void Ints(string name, ReadOnlySpan<long> values) => IntArrays[name] = values.ToArray();

        ReadOnlySpan<float> IStateReader.Floats(string name) => FloatArrays[name];

        ReadOnlySpan<long> IStateReader.Ints(string name) => IntArrays[name];
    }
}
