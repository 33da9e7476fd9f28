using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace Sample.NetLlmPredictionTask.Tests;

/// <summary>
/// A tiny causal stand-in for a foundation model, so the task's model and verbs can be tested in seconds without a
/// backbone plugin: each position's hidden state is <c>tanh(q_proj(m) + v_proj(m))</c> where <c>m</c> is the running
/// mean of the input embeddings up to that position. <c>q_proj</c> and <c>v_proj</c> are <see cref="AdaptableLinear"/>
/// layers, so LoRA attaches to them as it does to a real backbone. Its cache keeps the embeddings seen so far, so
/// cached decisions equal recomputed ones.
/// </summary>
internal sealed class TestBackbone : IBackbone
{
    public const string Preset = "test-causal-mean-16";
    private const int Width = 16;

    public TestBackbone(int seed)
    {
        Module = new TestBackboneModule(Width, seed);
    }

    public BackboneInfo Info { get; } = new()
    {
        Family = "test",
        ModelType = "test-causal-mean",
        Architecture = "TestCausalMean",
        NumLayers = 1,
        HiddenSize = Width,
        NumAttentionHeads = 1,
        NumKeyValueHeads = 1,
        IntermediateSize = Width,
        VocabSize = 0,
        MaxPositionEmbeddings = 4096,
        ParameterCount = 2 * ((Width * Width) + Width),
        DType = "float32",
        HasLmHead = false,
    };

    public int HiddenSize => Width;

    public nn.Module Module { get; }

    public Device Device => CPU;

    public ScalarType ComputeDType => ScalarType.Float32;

    public PositionEncoding PositionEncoding => PositionEncoding.LearnedAbsolute;

    public BackboneOutput Forward(BackboneInput input)
    {
        var embeds = input.InputsEmbeds ?? throw new ArgumentException("the test backbone takes embeddings only");
        using var scope = NewDisposeScope();
        var cache = input.Cache as TestCache;
        var past = cache?.Length ?? 0;
        var all = cache?.Embeds is { } previous ? cat([previous, embeds], 1) : embeds;
        var steps = arange(1, all.shape[1] + 1, dtype: ScalarType.Float32).view(1, -1, 1);
        var mean = (all.cumsum(1) / steps).narrow(1, past, embeds.shape[1]);
        var hidden = ((TestBackboneModule)Module).forward(mean);
        if (input.OutputPositions is { } positions)
        {
            hidden = hidden.gather(1, positions.unsqueeze(-1).expand(-1, -1, hidden.shape[2]));
        }

        cache?.Keep(all);
        return new BackboneOutput(hidden.MoveToOuterDisposeScope());
    }

    public Tensor EmbedTokens(Tensor inputIds) => throw new NotSupportedException("the test backbone has no token embeddings");

    public IKvCache CreateCache() => new TestCache();

    public void Dispose() => Module.Dispose();

    private sealed class TestBackboneModule : nn.Module<Tensor, Tensor>
    {
        private readonly AdaptableLinear q_proj;
        private readonly AdaptableLinear v_proj;

        public TestBackboneModule(int width, int seed)
            : base("TestCausalMean")
        {
            q_proj = new AdaptableLinear(width, width);
            v_proj = new AdaptableLinear(width, width);
            RegisterComponents();
            using var generator = new Generator((ulong)seed);
            using var noGrad = no_grad();
            foreach (var parameter in parameters())
            {
                parameter.copy_(randn(parameter.shape, generator: generator) * 0.3);
            }
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            return tanh(q_proj.forward(input) + v_proj.forward(input)).MoveToOuterDisposeScope();
        }
    }
}

/// <summary>Provides <see cref="TestBackbone"/> under the preset name <see cref="TestBackbone.Preset"/>.</summary>
internal sealed class TestBackboneProvider : IBackboneProvider
{
    public string Family => "test";

    public IReadOnlyList<string> ModelTypes { get; } = ["test-causal-mean"];

    public IReadOnlyList<string> DefaultLoraTargets { get; } = ["q_proj", "v_proj"];

    public string? DefaultPreset => TestBackbone.Preset;

    public bool CanLoad(string modelDirectory) => false;

    public IReadOnlyDictionary<string, string> Presets { get; } = new Dictionary<string, string> { [TestBackbone.Preset] = "{\"model_type\": \"test-causal-mean\"}" };

    public IBackbone FromPretrained(string modelDirectory, BackboneLoadOptions options) =>
        throw new NotSupportedException("the test backbone has no checkpoints");

    public IBackbone FromConfig(string configJson, BackboneLoadOptions options) => new TestBackbone(options.Seed);
}

/// <summary>The test backbone's cache: the embeddings seen so far (the running mean is recomputed from them).</summary>
internal sealed class TestCache : IKvCache
{
    public Tensor? Embeds { get; private set; }

    public int Length => Embeds is null ? 0 : checked((int)Embeds.shape[1]);

    public long NextPosition => Length;

    public Tensor? Mask => null;

    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values) => throw new NotSupportedException("the test backbone has no attention layers");

    public void Commit(Tensor? newTokenMask, int newTokens)
    {
    }

    public void DropFirst(int count)
    {
        if (Embeds is { } embeds && count > 0)
        {
            Keep(count >= Length ? null : embeds.narrow(1, count, Length - count));
        }
    }

    public void Clear() => Keep(null);

    public void Dispose() => Keep(null);

    internal void Keep(Tensor? embeds)
    {
        var previous = Embeds;
        Embeds = embeds?.detach().clone().DetachFromDisposeScope();
        previous?.Dispose();
    }
}
