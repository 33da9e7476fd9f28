using NetLlm.Core.Modules;
using NetLlm.Transformers.Attention;
using NetLlm.Transformers.Modeling;
using NetLlm.Transformers.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Gpt2;

/// <summary>
/// Hugging Face <c>GPT2Model</c>: <c>wte</c>, <c>wpe</c>, blocks <c>h</c>, <c>ln_f</c>. Learned positions are added to
/// the input embeddings (token or task embeddings alike); default positions are <c>StartPosition ..</c> for every row
/// (left padding does not shift them, as in transformers 4.34).
/// </summary>
public sealed class Gpt2Model : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly EmbeddingTable wte;
    private readonly EmbeddingTable wpe;
    private readonly ModuleList<Gpt2Block> h;
    private readonly LayerNorm ln_f;
#pragma warning restore IDE1006
    private readonly ScalarType _dtype;
    private readonly int _positions;

    /// <summary>Creates the stack.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="dtype">Parameter and compute dtype.</param>
    /// <param name="device">Parameter device.</param>
    public Gpt2Model(Gpt2Config config, ScalarType dtype, Device device)
        : base("GPT2Model")
    {
        ArgumentNullException.ThrowIfNull(config);
        _dtype = dtype;
        _positions = config.NPositions;
        wte = new EmbeddingTable(config.VocabSize, config.NEmbd, dtype, device);
        wpe = new EmbeddingTable(config.NPositions, config.NEmbd, dtype, device);
        h = new ModuleList<Gpt2Block>([.. Enumerable.Range(0, config.NLayer).Select(i => new Gpt2Block(config, i, dtype, device))]);
        ln_f = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Number of blocks.</summary>
    public int NumLayers => h.Count;

    /// <summary>The token embedding table (owned by this module).</summary>
    public Parameter EmbeddingWeight => wte.Weight;

    /// <summary>Token embeddings (no positions); new tensor, caller owns.</summary>
    /// <param name="inputIds">Token ids.</param>
    public Tensor EmbedTokens(Tensor inputIds) => wte.forward(inputIds);

    /// <summary>Runs the stack; returns the final normed state and optional hidden states (all new, caller owns).</summary>
    /// <param name="input">Normalised decoder input.</param>
    public (Tensor Last, List<Tensor>? Hidden) Forward(DecoderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var positions = input.SequentialPositions();
        var maxPosition = positions.max().item<long>();
        if (maxPosition >= _positions || positions.min().item<long>() < 0)
        {
            throw new ArgumentException($"GPT-2 has {_positions} learned positions but this pass needs position {maxPosition} (cached {input.PastLength} + new {input.Tokens})");
        }

        var x = input.InputsEmbeds + wpe.forward(positions);
        using var bias = AttentionMaskBuilder.Build(input.AttentionMask, input.Tokens, input.PastLength, null, _dtype, x.device);
        var context = new AttentionContext(bias, Cache: input.Cache);
        var hidden = input.OutputHiddenStates ? new List<Tensor>(h.Count + 1) : null;
        foreach (var block in h)
        {
            hidden?.Add(x.alias());
            var current = block;
            x = input.Checkpoint
                ? ActivationCheckpoint.Run(x, [bias.Additive], (y, c) => current.Forward(y, new AttentionContext(bias.Rebind(c[0]))))
                : block.Forward(x, context);
        }

        var last = ln_f.forward(x);
        hidden?.Add(last.alias());
        last.MoveToOuterDisposeScope();
        hidden?.ForEach(t => t.MoveToOuterDisposeScope());
        return (last, hidden);
    }
}
