using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Attention;
using NetLlm.Transformers.Modeling;
using NetLlm.Transformers.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sample.NetLlmBackbone;

/// <summary>
/// The family's root module: token embeddings <c>embed_tokens</c> and learned positions <c>embed_positions</c>, the
/// decoder <c>layers</c>, the final <c>norm</c>, and <c>lm_head</c> (tied to <c>embed_tokens</c> unless
/// <c>tie_word_embeddings</c> is false). State-dict names are the checkpoint names. Positions are added to whatever
/// embeddings come in (token or task embeddings); default positions continue from the cache.
/// </summary>
public sealed class SampleDecoderForCausalLM : nn.Module, ICausalLm
{
    private readonly EmbeddingTable embed_tokens;
    private readonly EmbeddingTable embed_positions;
    private readonly ModuleList<SampleDecoderLayer> layers;
    private readonly LayerNorm norm;
    private readonly AdaptableLinear? lm_head;
    private readonly ScalarType _dtype;

    /// <summary>Creates the model with zero weights.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="dtype">Parameter and compute dtype.</param>
    /// <param name="device">Parameter device.</param>
    public SampleDecoderForCausalLM(SampleDecoderConfig config, ScalarType dtype, Device device)
        : base(nameof(SampleDecoderForCausalLM))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _dtype = dtype;
        embed_tokens = new EmbeddingTable(config.VocabSize, config.HiddenSize, dtype, device);
        embed_positions = new EmbeddingTable(config.MaxPositionEmbeddings, config.HiddenSize, dtype, device);
        layers = new ModuleList<SampleDecoderLayer>([.. Enumerable.Range(0, config.NumHiddenLayers).Select(i => new SampleDecoderLayer(config, i, dtype, device))]);
        norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        lm_head = config.TieWordEmbeddings ? null : new AdaptableLinear(config.HiddenSize, config.VocabSize, hasBias: false, dtype: dtype, device: device);
        RegisterComponents();
    }

    /// <summary>The config.</summary>
    public SampleDecoderConfig Config { get; }

    /// <inheritdoc />
    public int NumLayers => layers.Count;

    /// <inheritdoc />
    public int EmbeddingWidth => Config.HiddenSize;

    /// <inheritdoc />
    public bool HasLmHead => true;

    /// <inheritdoc />
    public Tensor EmbedTokens(Tensor inputIds) => embed_tokens.forward(inputIds);

    /// <inheritdoc />
    public BackboneOutput Run(DecoderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var positions = input.SequentialPositions();
        var last = positions.max().item<long>();
        if (last >= Config.MaxPositionEmbeddings || positions.min().item<long>() < 0)
        {
            throw new ArgumentException($"{SampleDecoderConfig.Type} has {Config.MaxPositionEmbeddings} learned positions but this pass needs position {last} (cached {input.PastLength} + new {input.Tokens})");
        }

        var x = input.InputsEmbeds + embed_positions.forward(positions);
        using var bias = AttentionMaskBuilder.Build(input.AttentionMask, input.Tokens, input.PastLength, null, _dtype, x.device);
        var context = new AttentionContext(bias, Cache: input.Cache);
        var hidden = input.OutputHiddenStates ? new List<Tensor>(layers.Count + 1) : null;
        foreach (var layer in layers)
        {
            hidden?.Add(x.alias());
            x = layer.Forward(x, context);
        }

        var final = norm.forward(x);
        hidden?.Add(final.alias());
        Tensor? logits = null;
        if (input.OutputLogits)
        {
            var raw = lm_head is null ? nn.functional.linear(final, embed_tokens.Weight) : lm_head.forward(final);
            logits = raw.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
        }

        final.MoveToOuterDisposeScope();
        hidden?.ForEach(t => t.MoveToOuterDisposeScope());
        return new BackboneOutput(final, hidden, logits);
    }
}
