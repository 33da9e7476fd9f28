using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Plugins;
using NetLlm.Tasks.AdaptiveBitrate.Model;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Testing;
using static TorchSharp.torch;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

public sealed class AbrDecisionModelTests
{
    private static List<AbrObservation> States(int n)
    {
        using var env = AbrTestData.DefaultEnvironment();
        var list = new List<AbrObservation> { env.Reset().Observation };
        while (list.Count < n)
        {
            list.Add(env.Step(list.Count % 6).Observation);
        }

        return list;
    }

    [Fact]
    public void Shapes_SixStateTokens_ActionEmbedding_AndSixLogits()
    {
        manual_seed(1);
        using var model = new AbrDecisionModel(64);
        var states = States(5);
        var actions = states.Select((_, i) => new[] { i % 6 }).ToList();
        using var segment = model.EncodeSegment(0, states, []);
        Assert.Equal([5L, 6, 64], segment.Tokens.shape);
        Assert.Equal([6, 6, 6, 6, 6], segment.Lengths);
        using var embedded = model.EmbedAction(states, actions);
        Assert.Equal([5L, 64], embedded.shape);
        using var hidden = randn(5, 64);
        using var logits = model.Logits(0, hidden, states, actions);
        Assert.Equal([5L, 6], logits.shape);
        Assert.Equal(1, model.ActionComponents);
        Assert.Equal([6], model.ComponentChoices);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.EncodeSegment(1, states, []));
        Assert.Throws<ArgumentException>(() => model.EmbedAction(states, [[6]]));
        using var wrong = randn(5, 32);
        Assert.Throws<ArgumentException>(() => model.Logits(0, wrong, states, actions));
    }

    [Fact]
    public void ParameterCount_MatchesTheOriginalLayerShapes()
    {
        const int d = 32;
        using var model = new AbrDecisionModel(d);
        long scalar = (256 + 256) + ((256 * d) + d);        // Linear(1,256) + Linear(256,d)
        long history = ((256 * 4) + 256) + ((768 * d) + d);  // Conv1d(1,256,4) + Linear(768,d)
        long sizes = ((256 * 6) + 256) + ((256 * d) + d);    // Conv1d(1,256,6) + Linear(256,d)
        long action = d + d;                                 // Linear(1,d)
        long head = (d * 6) + 6;                             // Linear(d,6)
        var expected = (3 * scalar) + (2 * history) + sizes + action + head;
        Assert.Equal(expected, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Tokens_DependOnEachFeature_AndGradientsReachEveryEncoder()
    {
        manual_seed(2);
        using var model = new AbrDecisionModel(16);
        var states = States(3);
        using var segment = model.EncodeSegment(0, states, []);
        using var loss = segment.Tokens.pow(2).sum();
        loss.backward();
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.StartsWith("embed_action", StringComparison.Ordinal) || name.StartsWith("action_head", StringComparison.Ordinal))
            {
                continue;
            }

            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"no gradient for {name}");
        }

        // Token 3 (throughput history) changes when only row 2 changes.
        var a = states[2].StateToArray();
        var b = (float[])a.Clone();
        b[12] += 0.5f;
        using var ta = model.EncodeSegment(0, [AbrObservation.FromState(a)], []);
        using var tb = model.EncodeSegment(0, [AbrObservation.FromState(b)], []);
        using var diff = (ta.Tokens - tb.Tokens).abs().sum(2);
        var perToken = diff.data<float>().ToArray();
        Assert.True(perToken[2] > 0);
        Assert.Equal(0f, perToken[0]);
        Assert.Equal(0f, perToken[4]);
    }

    [Fact]
    public void StateCodec_RoundTripsTheState()
    {
        var codec = new AbrStateCodec();
        var original = States(4)[3];
        var store = new DictionaryStateStore();
        codec.Write(original, store);
        Assert.Equal(36, store.FloatArrays[AbrStateCodec.StateArray].Length);
        var restored = codec.Read(store);
        Assert.Equal(original.StateToArray(), restored.StateToArray());
        Assert.Equal(original.Level, restored.Level);
        Assert.Equal(original.ChunksRemaining, restored.ChunksRemaining);
        Assert.False(restored.HasSimulatorContext);
        Assert.Equal((float)original.BufferSeconds, (float)restored.BufferSeconds, 5);
        store.FloatArrays[AbrStateCodec.StateArray] = new float[35];
        Assert.Throws<InvalidDataException>(() => codec.Read(store));
    }

    [Fact]
    public void Binding_SplitsActionsBuildsModelsAndEnvironments()
    {
        var binding = new AbrTaskBinding();
        var s = States(1)[0];
        Assert.Equal([4], binding.ToComponents(s, 4));
        Assert.Equal(4, binding.FromComponents(s, [4]));
        Assert.Throws<ArgumentException>(() => binding.FromComponents(s, [1, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => binding.ToComponents(s, 7));
        using var model = binding.CreateModel(24, new Dictionary<string, string> { ["state_feature_dim"] = "32", ["conv_size"] = "3" });
        using var tokens = model.EncodeSegment(0, [s], []);
        Assert.Equal([1L, 6, 24], tokens.Tokens.shape);
        Assert.Throws<ArgumentException>(() => binding.CreateModel(24, new Dictionary<string, string> { ["width"] = "3" }));
        var request = new TaskRequest { Verb = TaskVerb.Collect, DataRoot = TestPaths.DataRoot, Registry = PluginRegistry.Empty };
        using var env = binding.CreateEnvironment(request);
        var train = Assert.IsType<AbrEnvironment>(env);
        Assert.Equal(235, train.TraceCount);
        Assert.False(train.Scenario.Deterministic);
    }

    private sealed class DictionaryStateStore : IStateWriter, IStateReader
    {
        public Dictionary<string, float[]> FloatArrays { get; } = [];

        public Dictionary<string, long[]> IntArrays { get; } = [];

        public void Floats(string name, ReadOnlySpan<float> values) => FloatArrays[name] = values.ToArray();

        public void Ints(string name, ReadOnlySpan<long> values) => IntArrays[name] = values.ToArray();

        ReadOnlySpan<float> IStateReader.Floats(string name) => FloatArrays[name];

        ReadOnlySpan<long> IStateReader.Ints(string name) => IntArrays[name];
    }
}
