using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Engine;
using NetLlm.Encoders.Standard;
using NetLlm.Tasks.AdaptiveBitrate.Model;
using NetLlm.Tasks.AdaptiveBitrate.Settings;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Testing;
using static NetLlm.Tasks.AdaptiveBitrate.Tests.AbrTestRegistry;
using static TorchSharp.torch;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

/// <summary>The NetLLM ABR model as the engine assembles it from the task's slots, tokenizer and head.</summary>
public sealed class AbrDecisionModelTests
{
    private static readonly string[] CreationOrder =
    [
        "last_bitrate.fc.weight", "last_bitrate.fc.bias", "last_bitrate.proj.weight", "last_bitrate.proj.bias",
        "buffer.fc.weight", "buffer.fc.bias", "buffer.proj.weight", "buffer.proj.bias",
        "throughput.conv.weight", "throughput.conv.bias", "throughput.proj.weight", "throughput.proj.bias",
        "delay.conv.weight", "delay.conv.bias", "delay.proj.weight", "delay.proj.bias",
        "chunk_sizes.conv.weight", "chunk_sizes.conv.bias", "chunk_sizes.proj.weight", "chunk_sizes.proj.bias",
        "remaining.fc.weight", "remaining.fc.bias", "remaining.proj.weight", "remaining.proj.bias",
        "embed_action.weight", "embed_action.bias", "action_head.weight", "action_head.bias",
    ];

    private static DecisionTaskModel<AbrObservation> Model(int d, AbrModelOptions? options = null, IReadOnlyList<EncoderChoice>? encoders = null) =>
        DecisionTaskModel<AbrObservation>.Create(Abr.DesignModel(options ?? new AbrModelOptions()), Create(), d, encoders ?? [], null, "abr");

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
    public void Design_SixSlotsOfTheStandardEncoders_OneHeadOfSixBitrates()
    {
        var design = Abr.DesignModel(new AbrModelOptions { StateFeatureDim = 64, ConvSize = 3 });
        Assert.Equal(["last_bitrate", "buffer", "throughput", "delay", "chunk_sizes", "remaining"], design.Encoders.Select(s => s.Name).ToArray());
        Assert.Equal(["scalar", "scalar", "series", "series", "series", "scalar"], design.Encoders.Select(s => s.Modality).ToArray());
        Assert.Equal(new ScalarMlpOptions { Hidden = 64 }, design.Encoders[0].DefaultOptions);
        Assert.Equal(new SeriesCnnOptions { Channels = 64, Kernel = 3 }, design.Encoders[2].DefaultOptions);
        Assert.Equal(new SeriesCnnOptions { Channels = 64, Kernel = 3 }, design.Encoders[3].DefaultOptions);
        Assert.Equal(new SeriesCnnOptions { Channels = 64, Kernel = 6 }, design.Encoders[4].DefaultOptions);
        Assert.Equal([1L, 6], design.Encoders[4].ItemShape);
        Assert.Equal("encoder.series-cnn", design.Encoders[2].DefaultEncoder);
        Assert.Equal("encoder.scalar-mlp", design.Encoders[5].DefaultEncoder);
        var head = Assert.Single(design.Heads);
        Assert.Equal(("action_head", 6), (head.Name, head.Outputs));
    }

    [Fact]
    public void Shapes_SixStateTokens_ActionEmbedding_AndSixLogits()
    {
        manual_seed(1);
        using var model = Model(64);
        var states = States(5);
        var actions = states.Select((_, i) => new[] { i % 6 }).ToList();
        using var segment = model.EncodeSegment(0, states, actions);
        Assert.Equal([5L, 6, 64], segment.Tokens.shape);
        Assert.Equal([6, 6, 6, 6, 6], segment.Lengths);
        using var embedded = model.EmbedAction(states, actions);
        Assert.Equal([5L, 64], embedded.shape);
        using var hidden = randn(5, 64);
        using var logits = model.Logits(0, hidden, states, actions);
        Assert.Equal([5L, 6], logits.shape);
        Assert.Equal(1, model.ActionComponents);
        Assert.Equal([6], model.ComponentChoices);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.EncodeSegment(1, states, actions));
        Assert.Throws<ArgumentException>(() => model.EmbedAction(states, [[6]]));
        using var wrong = randn(5, 32);
        Assert.Throws<ArgumentException>(() => model.Logits(0, wrong, states, actions));
    }

    [Fact]
    public void Parameters_HaveTheOriginalNamesShapesAndCreationOrder()
    {
        const int d = 32;
        manual_seed(9);
        using var model = Model(d);
        var named = model.Module.named_parameters().ToList();
        Assert.Equal(CreationOrder, named.Select(p => p.name).ToArray());
        long scalar = (256 + 256) + ((256 * d) + d);        // Linear(1,256) + Linear(256,d)
        long history = ((256 * 4) + 256) + ((768 * d) + d);  // Conv1d(1,256,4) + Linear(768,d)
        long sizes = ((256 * 6) + 256) + ((256 * d) + d);    // Conv1d(1,256,6) + Linear(256,d)
        long action = d + d;                                 // Linear(1,d)
        long head = (d * 6) + 6;                             // Linear(d,6)
        Assert.Equal((3 * scalar) + (2 * history) + sizes + action + head, named.Sum(p => p.parameter.numel()));

        // The same draws as the original module's fields in declaration order (so adapted runs train the same model).
        manual_seed(9);
        using var a = new ScalarMlpEncoder(d);
        using var b = new ScalarMlpEncoder(d);
        using var c = new SeriesCnnEncoder(d, 6);
        using var e = new SeriesCnnEncoder(d, 6);
        using var f = new SeriesCnnEncoder(d, 6, kernel: 6);
        using var g = new ScalarMlpEncoder(d);
        using var embed = nn.Linear(1, d);
        using var actionHead = nn.Linear(d, 6);
        var reference = new TorchSharp.torch.nn.Module[] { a, b, c, e, f, g, embed, actionHead }.SelectMany(m => m.parameters()).ToList();
        for (var i = 0; i < named.Count; i++)
        {
            Assert.Equal(reference[i].shape, named[i].parameter.shape);
            Assert.True(named[i].parameter.allclose(reference[i], rtol: 0, atol: 0), $"{named[i].name} differs from the original's draw");
        }
    }

    [Fact]
    public void ModelOptions_AndEncoderChoices_ChangeTheSlots()
    {
        var state = States(1);
        using (var small = Model(24, new AbrModelOptions { StateFeatureDim = 32, ConvSize = 3 }))
        {
            using var tokens = small.EncodeSegment(0, state, [[0]]);
            Assert.Equal([1L, 6, 24], tokens.Tokens.shape);
            Assert.Equal([32L, 1, 3], small.Module.named_parameters().Single(p => p.name == "throughput.conv.weight").parameter.shape);
            Assert.Equal(32, (int)small.DescribeEncoders()["throughput"]!["options"]!["channels"]!);
        }

        using (var replaced = Model(24, encoders: [new EncoderChoice("delay", "encoder.series-cnn", [In("kernel", 2), In("channels", 8)])]))
        {
            Assert.Equal([8L, 1, 2], replaced.Module.named_parameters().Single(p => p.name == "delay.conv.weight").parameter.shape);
            Assert.Equal([256L, 1, 4], replaced.Module.named_parameters().Single(p => p.name == "throughput.conv.weight").parameter.shape);
        }

        Assert.Contains("modality", Assert.Throws<ArgumentException>(() => Model(24, encoders: [new EncoderChoice("buffer", "encoder.series-cnn", [])])).Message, StringComparison.Ordinal);
        Assert.Contains("no encoder slot 'nope'", Assert.Throws<ArgumentException>(() => Model(24, encoders: [new EncoderChoice("nope", "encoder.series-cnn", [])])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokens_DependOnEachFeature_AndGradientsReachEveryEncoder()
    {
        manual_seed(2);
        using var model = Model(16);
        var states = States(3);
        using var segment = model.EncodeSegment(0, states, []);
        using var loss = segment.Tokens.pow(2).sum();
        loss.backward();
        foreach (var (name, p) in model.Module.named_parameters())
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
        var codec = Abr.States;
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

    [DataFact("abr")]
    public void ActionsAndEnvironments_OfTheTask()
    {
        var actions = Abr.Actions;
        var s = States(1)[0];
        Assert.Equal([4], actions.ToComponents(s, 4));
        Assert.Equal(4, actions.FromComponents(s, [4]));
        Assert.Throws<ArgumentException>(() => actions.FromComponents(s, [1, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => actions.ToComponents(s, 7));
        var options = (AbrOptions)TaskOptionsResolver.Resolve(Abr, typeof(AbrOptions), Abstractions.Options.VerbScope.Collect, null, [], []).Options;
        using var env = Abr.CreateEnvironment(options, new TaskContext { DataRoot = AbrTestData.Root });
        var train = Assert.IsType<AbrEnvironment>(env);
        Assert.Equal(235, train.TraceCount);
        Assert.Equal(235, Abr.Episodes(options, env));
        Assert.Equal(9, Abr.Episodes(options with { Episodes = 9 }, env));
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
