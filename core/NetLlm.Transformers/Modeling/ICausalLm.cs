using NetLlm.Abstractions.Backbones;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Modeling;

/// <summary>
/// The forward pass every backbone family implements on its root module (the <c>*ForCausalLM</c>-style module):
/// embeddings in, final normed hidden state out, plus optional per-layer states and logits.
/// </summary>
public interface ICausalLm
{
    /// <summary>Number of decoder layers (the key/value cache has one slot per layer).</summary>
    int NumLayers { get; }

    /// <summary>Width of input embeddings and of returned hidden states.</summary>
    int EmbeddingWidth { get; }

    /// <summary>True when the module can produce logits.</summary>
    bool HasLmHead { get; }

    /// <summary>
    /// Looks up token embeddings (without positions): new tensor <c>[batch, tokens, d]</c> (caller owns);
    /// <paramref name="inputIds"/> borrowed.
    /// </summary>
    /// <param name="inputIds">Token ids <c>[batch, tokens]</c>, int64.</param>
    Tensor EmbedTokens(Tensor inputIds);

    /// <summary>
    /// Runs the decoder. Appends to <see cref="DecoderInput.Cache"/> per layer but does not commit it. Every tensor in
    /// the result is new and owned by the caller.
    /// </summary>
    /// <param name="input">Normalised input.</param>
    BackboneOutput Run(DecoderInput input);

    /// <summary>
    /// True when <see cref="Run"/> honours <see cref="DecoderInput.OutputPositions"/> (returning only those rows, having
    /// skipped the work other positions need); otherwise the caller selects the rows from the full output.
    /// </summary>
    bool SelectsOutputPositions => false;
}
