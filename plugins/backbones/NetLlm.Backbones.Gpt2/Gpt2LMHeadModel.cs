using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Gpt2;

/// <summary>
/// Hugging Face <c>GPT2LMHeadModel</c>: <c>transformer</c> (<see cref="Gpt2Model"/>) and <c>lm_head</c>, which is
/// tied to <c>transformer.wte</c> (no separate module or state-dict entry) unless <c>tie_word_embeddings</c> is false.
/// </summary>
public sealed class Gpt2LMHeadModel : nn.Module, ICausalLm
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Gpt2Model transformer;
    private readonly AdaptableLinear? lm_head;
#pragma warning restore IDE1006

    /// <summary>Creates the model with zero projections.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="dtype">Parameter and compute dtype.</param>
    /// <param name="device">Parameter device.</param>
    public Gpt2LMHeadModel(Gpt2Config config, ScalarType dtype, Device device)
        : base("GPT2LMHeadModel")
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        transformer = new Gpt2Model(config, dtype, device);
        lm_head = config.TieWordEmbeddings ? null : new AdaptableLinear(config.NEmbd, config.VocabSize, hasBias: false, dtype: dtype, device: device);
        RegisterComponents();
    }

    /// <summary>The config.</summary>
    public Gpt2Config Config { get; }

    /// <inheritdoc />
    public int NumLayers => transformer.NumLayers;

    /// <inheritdoc />
    public int EmbeddingWidth => Config.NEmbd;

    /// <inheritdoc />
    public bool HasLmHead => true;

    /// <inheritdoc />
    public Tensor EmbedTokens(Tensor inputIds) => transformer.EmbedTokens(inputIds);

    /// <inheritdoc />
    public BackboneOutput Run(DecoderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var (last, hidden) = transformer.Forward(input);
        Tensor? logits = null;
        if (input.OutputLogits)
        {
            var raw = lm_head is null ? nn.functional.linear(last, transformer.EmbeddingWeight) : lm_head.forward(last);
            logits = raw.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
        }

        last.MoveToOuterDisposeScope();
        hidden?.ForEach(t => t.MoveToOuterDisposeScope());
        return new BackboneOutput(last, hidden, logits);
    }
}
