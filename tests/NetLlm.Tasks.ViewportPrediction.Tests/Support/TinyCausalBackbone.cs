using NetLlm.Abstractions.Backbones;
using NetLlm.Core.Caching;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Support;

/// <summary>
/// A test-only backbone: learned absolute positions, one causal self-attention layer and an MLP (pre-norm residual
/// blocks), a final LayerNorm. Honours the key/value cache contract: positions continue at the cache's
/// <see cref="IKvCache.NextPosition"/> and keys/values are appended per forward.
/// </summary>
internal sealed class TinyCausalBackbone : IBackbone
{
    private readonly TinyCausalModule _module;

    public TinyCausalBackbone(int hidden = 32, int heads = 4, int maxPositions = 128, int seed = 7)
    {
        random.manual_seed(seed);
        _module = new TinyCausalModule(hidden, heads, maxPositions);
        HiddenSize = hidden;
    }

    public BackboneInfo Info => new()
    {
        Family = "tiny-test",
        ModelType = "tiny-test",
        Architecture = nameof(TinyCausalBackbone),
        NumLayers = 1,
        HiddenSize = HiddenSize,
        NumAttentionHeads = _module.Heads,
        NumKeyValueHeads = _module.Heads,
        IntermediateSize = HiddenSize * 2,
        VocabSize = 0,
        MaxPositionEmbeddings = _module.MaxPositions,
        ParameterCount = _module.parameters().Sum(p => p.numel()),
        DType = "float32",
        HasLmHead = false,
    };

    public int HiddenSize { get; }

    public nn.Module Module => _module;

    public Device Device => CPU;

    public ScalarType ComputeDType => ScalarType.Float32;

    public PositionEncoding PositionEncoding => PositionEncoding.LearnedAbsolute;

    /// <summary>Number of forward calls (to check that decoding uses one pass per step).</summary>
    public int Forwards { get; private set; }

    /// <summary>Tokens processed over all forward calls.</summary>
    public long TokensProcessed { get; private set; }

    public BackboneOutput Forward(BackboneInput input)
    {
        var embeds = input.InputsEmbeds ?? throw new ArgumentException("tiny backbone: only InputsEmbeds are supported");
        Forwards++;
        TokensProcessed += embeds.shape[1];
        return new BackboneOutput(_module.Run(embeds, input.Cache));
    }

    public Tensor EmbedTokens(Tensor inputIds) => throw new NotSupportedException("tiny backbone has no token embeddings");

    public IKvCache CreateCache() => new DynamicKvCache(1);

    public void Dispose() => _module.Dispose();

    private sealed class TinyCausalModule : nn.Module
    {
#pragma warning disable IDE1006 // state-dict names
        private readonly Embedding wpe;
        private readonly LayerNorm ln_1;
        private readonly Linear q_proj;
        private readonly Linear k_proj;
        private readonly Linear v_proj;
        private readonly Linear o_proj;
        private readonly LayerNorm ln_2;
        private readonly Linear fc_in;
        private readonly Linear fc_out;
        private readonly LayerNorm ln_f;
#pragma warning restore IDE1006

        public TinyCausalModule(int hidden, int heads, int maxPositions)
            : base(nameof(TinyCausalModule))
        {
            Hidden = hidden;
            Heads = heads;
            MaxPositions = maxPositions;
            wpe = nn.Embedding(maxPositions, hidden);
            ln_1 = nn.LayerNorm(hidden);
            q_proj = nn.Linear(hidden, hidden);
            k_proj = nn.Linear(hidden, hidden);
            v_proj = nn.Linear(hidden, hidden);
            o_proj = nn.Linear(hidden, hidden);
            ln_2 = nn.LayerNorm(hidden);
            fc_in = nn.Linear(hidden, hidden * 2);
            fc_out = nn.Linear(hidden * 2, hidden);
            ln_f = nn.LayerNorm(hidden);
            RegisterComponents();
        }

        public int Hidden { get; }

        public int Heads { get; }

        public int MaxPositions { get; }

        public Tensor Run(Tensor embeds, IKvCache? cache)
        {
            using var scope = NewDisposeScope();
            var batch = embeds.shape[0];
            var tokens = embeds.shape[1];
            var past = cache?.Length ?? 0;
            var first = cache?.NextPosition ?? 0;
            var positions = arange(first, first + tokens, dtype: ScalarType.Int64);
            var x = embeds + wpe.forward(positions).unsqueeze(0);

            var h = ln_1.forward(x);
            var headDim = Hidden / Heads;
            Tensor Split(Tensor t) => t.view(batch, tokens, Heads, headDim).transpose(1, 2);
            var q = Split(q_proj.forward(h));
            var k = Split(k_proj.forward(h));
            var v = Split(v_proj.forward(h));
            if (cache is not null)
            {
                (k, v) = cache.Append(0, k, v);
            }

            var total = past + tokens;
            var scores = matmul(q, k.transpose(2, 3)) / Math.Sqrt(headDim);
            var queryPositions = arange(past, total, dtype: ScalarType.Int64).unsqueeze(1);
            var keyPositions = arange(0, total, dtype: ScalarType.Int64).unsqueeze(0);
            var future = keyPositions.gt(queryPositions);
            scores = scores.masked_fill(future, float.NegativeInfinity);
            var attended = matmul(scores.softmax(-1), v).transpose(1, 2).reshape(batch, tokens, Hidden);
            x = x + o_proj.forward(attended);
            x = x + fc_out.forward(nn.functional.gelu(fc_in.forward(ln_2.forward(x))));
            cache?.Commit(null, (int)tokens);
            return ln_f.forward(x).MoveToOuterDisposeScope();
        }
    }
}
