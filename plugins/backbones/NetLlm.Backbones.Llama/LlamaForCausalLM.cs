using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llama;

/// <summary>
/// Hugging Face <c>LlamaForCausalLM</c>: <c>model</c> (<see cref="LlamaModel"/>) and <c>lm_head</c>. With
/// <c>tie_word_embeddings</c> there is no <c>lm_head</c> module: logits use the token embedding table, so the state
/// dict holds the shared weight once. Also used, with a sliding window, as Mistral's <c>MistralForCausalLM</c>.
/// Logits are returned in float32 (as Hugging Face does).
/// </summary>
public sealed class LlamaForCausalLM : nn.Module, ICausalLm
{
#pragma warning disable IDE1006 // state-dict names
    private readonly LlamaModel model;
    private readonly AdaptableLinear? lm_head;
#pragma warning restore IDE1006

    /// <summary>Creates the model with zero projections (load or initialise afterwards).</summary>
    /// <param name="config">Model config.</param>
    /// <param name="dtype">Parameter and compute dtype.</param>
    /// <param name="device">Parameter device.</param>
    /// <param name="slidingWindow">Sliding attention window (Mistral), or null.</param>
    public LlamaForCausalLM(LlamaConfig config, ScalarType dtype, Device device, int? slidingWindow = null)
        : base(config?.Architecture ?? "LlamaForCausalLM")
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        model = new LlamaModel(config, slidingWindow, dtype, device);
        lm_head = config.TieWordEmbeddings ? null : new AdaptableLinear(config.HiddenSize, config.VocabSize, hasBias: false, dtype: dtype, device: device);
        RegisterComponents();
    }

    /// <summary>The config the model was built from.</summary>
    public LlamaConfig Config { get; }

    /// <summary>The decoder stack.</summary>
    public LlamaModel Model => model;

    /// <inheritdoc />
    public int NumLayers => model.NumLayers;

    /// <inheritdoc />
    public int EmbeddingWidth => Config.HiddenSize;

    /// <inheritdoc />
    public bool HasLmHead => true;

    /// <inheritdoc />
    public Tensor EmbedTokens(Tensor inputIds) => model.EmbedTokens(inputIds);

    /// <inheritdoc />
    public bool SelectsOutputPositions => true;

    /// <inheritdoc />
    public BackboneOutput Run(DecoderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var (last, hidden) = model.Forward(input);
        Tensor? logits = null;
        if (input.OutputLogits)
        {
            var raw = lm_head is null ? nn.functional.linear(last, model.EmbeddingWeight) : lm_head.forward(last);
            logits = raw.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
        }

        last.MoveToOuterDisposeScope();
        hidden?.ForEach(t => t.MoveToOuterDisposeScope());
        return new BackboneOutput(last, hidden, logits);
    }
}
