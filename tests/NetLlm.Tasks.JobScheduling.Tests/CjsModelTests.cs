using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.Scheduling;
using NetLlm.Core.Adaptation;
using NetLlm.Tasks.JobScheduling.Adaptation;
using NetLlm.Tasks.JobScheduling.Simulation;
using TorchSharp;
using static NetLlm.Tasks.JobScheduling.Tests.SyntheticObservations;
using static TorchSharp.torch;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>NetLLM's CJS model, state codec and task binding.</summary>
public sealed class CjsDecisionModelTests
{
    private static readonly Dictionary<string, string> SmallSettings = new() { ["sfd"] = "16", ["gnn_hidden"] = "8" };

    private static CjsObservation Sample() =>
        Make(50, 20, 2, new Job(3, [(0, 1), (1, 2)], [0], Supply: 45), new Job(4, [(0, 3), (1, 3)], [0, 1, 2]));

    private static CjsObservation Other() =>
        Make(30, 3, 0, new Job(2, [(0, 1)], [0], Supply: 2));

    [Fact]
    public void Segments_HaveOneTokenPerSchedulableStage_AndOneExecutorToken()
    {
        using var model = new CjsDecisionModel(24, CjsModelSettings.Parse(SmallSettings));
        CjsObservation[] states = [Sample(), Other()];

        using var stages = model.EncodeSegment(0, states, [[], []]);
        using var executors = model.EncodeSegment(1, states, [[2], [CjsModelSettings.NoStage]]);
        using var actions = model.EmbedAction(states, [[2, 4], [CjsModelSettings.NoStage, 0]]);

        Assert.Equal([2L, 4, 24], stages.Tokens.shape);
        Assert.Equal([4, 1], stages.Lengths);
        Assert.Equal([2L, 1, 24], executors.Tokens.shape);
        Assert.Equal([1, 1], executors.Lengths);
        Assert.Equal([2L, 24], actions.shape);
        Assert.Equal([CjsModelSettings.MaxStages + 1, CjsModelSettings.MaxExecutors], model.ComponentChoices);
        // Padding rows are zeros.
        Assert.Equal(0f, stages.Tokens[1, 1].abs().sum().item<float>());
    }

    [Fact]
    public void Parameters_HaveTheOriginalNamesAndShapes()
    {
        using var model = new CjsDecisionModel(64, new CjsModelSettings());
        var p = model.Module.named_parameters().ToDictionary(x => x.name, x => x.parameter.shape);

        Assert.Equal([128L, 5], p["state_encoder.node_encoder.mlp_prep.0.weight"]);
        Assert.Equal([256L, 128], p["state_encoder.node_encoder.mlp_prep.2.weight"]);
        Assert.Equal([64L, 5 + (3 * 256)], p["embed_stage_state.weight"]);
        Assert.Equal([64L, 3 + (2 * 256)], p["embed_exec_state.weight"]);
        Assert.Equal([64L, 2], p["embed_action.weight"]);
        Assert.Equal([101L, 64], p["stage_action_head2.weight"]);
        Assert.Equal([50L, 64], p["exec_action_head.weight"]);
    }

    [Fact]
    public void Logits_MaskEveryInvalidChoice()
    {
        using var model = new CjsDecisionModel(24, CjsModelSettings.Parse(SmallSettings));
        CjsObservation[] states = [Sample(), Other()];
        using var hidden = randn(2, 24);

        using var stage = model.Logits(0, hidden, states, [[], []]);
        using var exec = model.Logits(1, hidden, states, [[0], [CjsModelSettings.NoStage]]);
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

    [Fact]
    public void EveryDecodedAnswer_IsAValidEnvironmentAction()
    {
        // Drive a whole episode with answers decoded from random hidden states (argmax and sampled).
        using var model = new CjsDecisionModel(24, CjsModelSettings.Parse(SmallSettings));
        var binding = new CjsTaskBinding();
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
            var action = binding.FromComponents(obs, [stage, executors]);
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
        using var model = new CjsDecisionModel(24, CjsModelSettings.Parse(SmallSettings));
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
        using var model = new CjsDecisionModel(24, CjsModelSettings.Parse(SmallSettings));
        using var noGrad = no_grad();
        CjsObservation[] states = [Sample(), Other()];
        using var first = model.EncodeSegment(1, states, [[2], [0]]);
        using var other = model.EncodeSegment(0, [Other()], [[]]);
        using var again = model.EncodeSegment(1, states, [[2], [0]]);

        // Equal up to float summation order (another test may change libtorch's thread count meanwhile).
        Assert.True(first.Tokens.allclose(again.Tokens, 1e-5, 1e-6));
    }

    [Fact]
    public void Codec_RoundTripsObservations()
    {
        var codec = new CjsObservationCodec();
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
        var codec = new CjsObservationCodec();
        var store = new ArrayStore();
        codec.Write(Sample(), store);
        store.IntArrays["edge_to"] = [99, 1, 3, 3];

        var e = Assert.Throws<InvalidDataException>(() => codec.Read(store));

        Assert.Contains("CJS state", e.Message, StringComparison.Ordinal);
        Assert.Contains("out of range", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binding_SplitsActionsIntoComponentsAndBack()
    {
        var binding = new CjsTaskBinding();
        var obs = Sample();

        Assert.Equal([2, 4], binding.ToComponents(obs, new CjsAction(2, 5)));
        Assert.Equal(new CjsAction(2, 5), binding.FromComponents(obs, [2, 4]));
        // Fair's "no stage" action has its own choice.
        Assert.Equal([CjsModelSettings.NoStage, 0], binding.ToComponents(obs, new CjsAction(-1, 20)));
        Assert.Equal(-1, binding.FromComponents(obs, [CjsModelSettings.NoStage, 0]).StageIndex);
        // Counts above the job's commit cap are recorded as the cap (stage 0: job 0 can take 5).
        Assert.Equal([0, 4], binding.ToComponents(obs, new CjsAction(0, 20)));
        Assert.Throws<ArgumentException>(() => binding.FromComponents(obs, [0, 5]));
        Assert.Throws<ArgumentException>(() => binding.ToComponents(obs, new CjsAction(4, 1)));
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
