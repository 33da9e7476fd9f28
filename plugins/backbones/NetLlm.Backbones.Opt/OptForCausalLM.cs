using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Opt;

/// <summary>
/// Hugging Face <c>OPTForCausalLM</c>: <c>model.decoder</c> and <c>lm_head</c>, tied to
/// <c>model.decoder.embed_tokens</c> (no separate module or state-dict entry) unless <c>tie_word_embeddings</c> is false.
/// </summary>
public sealed class OptForCausalLM : nn.Module, ICausalLm
{
#pragma warning disable IDE1006 // state-dict names
    private readonly OptModel model;
    private readonly AdaptableLinear? lm_head;
#pragma warning restore IDE1006

    /// <summary>Creates the model with zero projections.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="dtype">Parameter and compute dtype.</param>
    /// <param name="device">Parameter device.</param>
    public OptForCausalLM(OptConfig config, ScalarType dtype, Device device)
        : base("OPTForCausalLM")
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        model = new OptModel(config, dtype, device);
        lm_head = config.TieWordEmbeddings ? null : new AdaptableLinear(config.EmbeddingWidth, config.VocabSize, hasBias: false, dtype: dtype, device: device);
        RegisterComponents();
    }

    /// <summary>The config.</summary>
    public OptConfig Config { get; }

    /// <inheritdoc />
    public int NumLayers => model.Decoder.NumLayers;

    /// <inheritdoc />
    public int EmbeddingWidth => Config.EmbeddingWidth;

    /// <inheritdoc />
    public bool HasLmHead => true;

    /// <inheritdoc />
    public Tensor EmbedTokens(Tensor inputIds) => model.Decoder.EmbedTokens(inputIds);

    /// <inheritdoc />
    public BackboneOutput Run(DecoderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var (last, hidden) = model.Decoder.Forward(input);
        Tensor? logits = null;
        if (input.OutputLogits)
        {
            var raw = lm_head is null ? nn.functional.linear(last, model.Decoder.EmbeddingWeight) : lm_head.forward(last);
            logits = raw.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
        }

        last.MoveToOuterDisposeScope();
        hidden?.ForEach(t => t.MoveToOuterDisposeScope());
        return new BackboneOutput(last, hidden, logits);
    }
}
