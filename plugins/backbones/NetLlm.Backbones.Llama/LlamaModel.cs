using NetLlm.Core.Modules;
using NetLlm.Transformers.Attention;
using NetLlm.Transformers.Modeling;
using NetLlm.Transformers.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llama;

/// <summary>
/// The Llama decoder stack (Hugging Face <c>LlamaModel</c>): <c>embed_tokens</c>, <c>layers</c>, <c>norm</c>. With a
/// sliding window (Mistral) each query sees the <c>W + 1</c> most recent positions including itself. Owns its
/// rotary table.
/// </summary>
public sealed class LlamaModel : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly EmbeddingTable embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly RmsNorm norm;
#pragma warning restore IDE1006
    private readonly RotaryEmbedding _rotary;
    private readonly int? _slidingWindow;
    private readonly ScalarType _dtype;

    /// <summary>Creates the stack.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="slidingWindow">Sliding attention window <c>W</c>, or null for full causal attention.</param>
    /// <param name="dtype">Parameter and compute dtype.</param>
    /// <param name="device">Parameter device.</param>
    public LlamaModel(LlamaConfig config, int? slidingWindow, ScalarType dtype, Device device)
        : base("LlamaModel")
    {
        ArgumentNullException.ThrowIfNull(config);
        _slidingWindow = slidingWindow;
        _dtype = dtype;
        embed_tokens = new EmbeddingTable(config.VocabSize, config.HiddenSize, dtype, device);
        layers = new ModuleList<LlamaDecoderLayer>([.. Enumerable.Range(0, config.NumHiddenLayers).Select(i => new LlamaDecoderLayer(config, i, dtype, device))]);
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        _rotary = new RotaryEmbedding(config.HeadDimension, config.RopeTheta, config.RopeScaling?.PositionDivisor("config") ?? 1.0,
            device.type == DeviceType.META ? CPU : device);
        RegisterComponents();
    }

    /// <summary>Number of layers.</summary>
    public int NumLayers => layers.Count;

    /// <summary>The token embedding table <c>[vocab, d]</c> (owned by this module).</summary>
    public Parameter EmbeddingWeight => embed_tokens.Weight;

    /// <summary>Looks up token embeddings; new tensor (caller owns).</summary>
    /// <param name="inputIds">Token ids <c>[b, T]</c> int64.</param>
    public Tensor EmbedTokens(Tensor inputIds) => embed_tokens.forward(inputIds);

    /// <summary>
    /// Runs the stack from embeddings to the final normed state. Returns the normed state and, when requested, the
    /// hidden states (embeddings first, final normed state last); all new tensors (caller owns).
    /// </summary>
    /// <param name="input">Normalised decoder input.</param>
    public (Tensor Last, List<Tensor>? Hidden) Forward(DecoderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var h = input.InputsEmbeds;
        using var positions = input.SequentialPositions();
        var (cos, sin) = _rotary.Compute(positions, _dtype);
        using var bias = AttentionMaskBuilder.Build(input.AttentionMask, input.Tokens, input.PastLength, _slidingWindow, _dtype, h.device);
        var context = new AttentionContext(bias, cos, sin, input.Cache);
        var hidden = input.OutputHiddenStates ? new List<Tensor>(layers.Count + 1) : null;
        for (var i = 0; i < layers.Count; i++)
        {
            hidden?.Add(h.alias());

            // Only the requested positions need the last layer's queries, attention output and MLP.
            var layer = layers[i];
            var select = i == layers.Count - 1 ? input.OutputPositions : null;
            h = input.Checkpoint
                ? ActivationCheckpoint.Run(h, [bias.Additive, cos, sin, select], (x, c) => layer.Forward(x, new AttentionContext(bias.Rebind(c[0]), c[1], c[2]), c[3]))
                : layer.Forward(h, context, select);
        }

        var last = norm.forward(h);
        hidden?.Add(last.alias());
        last.MoveToOuterDisposeScope();
        hidden?.ForEach(t => t.MoveToOuterDisposeScope());
        return (last, hidden);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rotary.Dispose();
        }

        base.Dispose(disposing);
    }
}
