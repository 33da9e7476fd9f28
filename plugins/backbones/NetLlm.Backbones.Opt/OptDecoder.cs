using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Attention;
using NetLlm.Transformers.Modeling;
using NetLlm.Transformers.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Opt;

/// <summary>
/// Hugging Face <c>OPTDecoder</c>: <c>embed_tokens</c>, <c>embed_positions</c> (learned, offset 2), optional
/// <c>project_in</c>/<c>project_out</c>, <c>layers</c>, optional <c>final_layer_norm</c>. Positions come from the
/// attention mask as in transformers 4.34: <c>cumsum(mask) * mask - 1</c> over cached and new positions, so left
/// padding shifts them and padding tokens use row 1.
/// </summary>
public sealed class OptDecoder : nn.Module
{
    private const int PositionOffset = 2;
#pragma warning disable IDE1006 // state-dict names
    private readonly EmbeddingTable embed_tokens;
    private readonly EmbeddingTable embed_positions;
    private readonly AdaptableLinear? project_out;
    private readonly AdaptableLinear? project_in;
    private readonly LayerNorm? final_layer_norm;
    private readonly ModuleList<OptDecoderLayer> layers;
#pragma warning restore IDE1006
    private readonly ScalarType _dtype;
    private readonly int _maxPositions;

    /// <summary>Creates the decoder.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="dtype">Parameter and compute dtype.</param>
    /// <param name="device">Parameter device.</param>
    public OptDecoder(OptConfig config, ScalarType dtype, Device device)
        : base("OPTDecoder")
    {
        ArgumentNullException.ThrowIfNull(config);
        _dtype = dtype;
        _maxPositions = config.MaxPositionEmbeddings;
        embed_tokens = new EmbeddingTable(config.VocabSize, config.EmbeddingWidth, dtype, device);
        embed_positions = new EmbeddingTable(config.MaxPositionEmbeddings + PositionOffset, config.HiddenSize, dtype, device);
        if (config.EmbeddingWidth != config.HiddenSize)
        {
            project_out = new AdaptableLinear(config.HiddenSize, config.EmbeddingWidth, hasBias: false, dtype: dtype, device: device);
            project_in = new AdaptableLinear(config.EmbeddingWidth, config.HiddenSize, hasBias: false, dtype: dtype, device: device);
        }

        if (config.HasFinalLayerNorm)
        {
            final_layer_norm = nn.LayerNorm(config.HiddenSize, elementwise_affine: config.LayerNormElementwiseAffine, device: device, dtype: dtype);
        }

        layers = new ModuleList<OptDecoderLayer>([.. Enumerable.Range(0, config.NumHiddenLayers).Select(i => new OptDecoderLayer(config, i, dtype, device))]);
        RegisterComponents();
    }

    /// <summary>Number of layers.</summary>
    public int NumLayers => layers.Count;

    /// <summary>The token embedding table (owned by this module).</summary>
    public Parameter EmbeddingWeight => embed_tokens.Weight;

    /// <summary>Token embeddings; new tensor (caller owns).</summary>
    /// <param name="inputIds">Token ids.</param>
    public Tensor EmbedTokens(Tensor inputIds) => embed_tokens.forward(inputIds);

    /// <summary>Runs the decoder; returns the final state and optional hidden states (all new, caller owns).</summary>
    /// <param name="input">Normalised decoder input.</param>
    public (Tensor Last, List<Tensor>? Hidden) Forward(DecoderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var positions = Positions(input);
        var maxPosition = positions.max().item<long>();
        if (maxPosition >= _maxPositions)
        {
            throw new ArgumentException($"OPT has {_maxPositions} learned positions but this pass needs position {maxPosition} (cached {input.PastLength} + new {input.Tokens})");
        }

        var x = input.InputsEmbeds;
        if (project_in is not null)
        {
            x = project_in.forward(x);
        }

        var h = x + embed_positions.forward(positions + PositionOffset);
        using var bias = AttentionMaskBuilder.Build(input.AttentionMask, input.Tokens, input.PastLength, null, _dtype, h.device);
        var context = new AttentionContext(bias, Cache: input.Cache);
        var hidden = input.OutputHiddenStates ? new List<Tensor>(layers.Count + 1) : null;
        foreach (var layer in layers)
        {
            hidden?.Add(h.alias());
            var current = layer;
            h = input.Checkpoint
                ? ActivationCheckpoint.Run(h, [bias.Additive], (x, c) => current.Forward(x, new AttentionContext(bias.Rebind(c[0]))))
                : layer.Forward(h, context);
        }

        if (final_layer_norm is not null)
        {
            h = final_layer_norm.forward(h);
        }

        if (project_out is not null)
        {
            h = project_out.forward(h);
        }

        var last = h.alias();
        hidden?.Add(h.alias());
        last.MoveToOuterDisposeScope();
        hidden?.ForEach(t => t.MoveToOuterDisposeScope());
        return (last, hidden);
    }

    private static Tensor Positions(DecoderInput input)
    {
        if (input.PositionIds is not null || input.AttentionMask is null)
        {
            return input.SequentialPositions();
        }

        var mask = input.AttentionMask.to_type(ScalarType.Int64);
        var all = mask.cumsum(1) * mask - 1;
        return all.narrow(1, input.PastLength, input.Tokens);
    }
}
