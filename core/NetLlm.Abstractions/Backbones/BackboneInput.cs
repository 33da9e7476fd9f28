using TorchSharp;

namespace NetLlm.Abstractions.Backbones;

/// <summary>
/// Input of <see cref="IBackbone.Forward"/>. Exactly one of <see cref="InputIds"/> and <see cref="InputsEmbeds"/> is
/// set. All tensors are borrowed: the backbone neither keeps nor disposes them.
/// </summary>
public sealed class BackboneInput
{
    /// <summary>Token ids <c>[batch, tokens]</c>, int64.</summary>
    public torch.Tensor? InputIds { get; init; }

    /// <summary>Input embeddings <c>[batch, tokens, d]</c> in the compute dtype (or float32, converted).</summary>
    public torch.Tensor? InputsEmbeds { get; init; }

    /// <summary>
    /// 1 for real tokens, 0 for padding. Either <c>[batch, past + tokens]</c> (Hugging Face convention, past =
    /// cached length) or <c>[batch, tokens]</c>, in which case the cache's stored mask is prepended. Padding may be on
    /// the left or the right. Null means all ones.
    /// </summary>
    public torch.Tensor? AttentionMask { get; init; }

    /// <summary>
    /// Explicit position ids <c>[batch, tokens]</c>, int64. Null derives them as the reference implementation
    /// does (model-specific, see each backbone's documentation).
    /// </summary>
    public torch.Tensor? PositionIds { get; init; }

    /// <summary>Key/value cache to read and extend, or null for a stateless pass.</summary>
    public IKvCache? Cache { get; init; }

    /// <summary>Also return the hidden state after the embeddings and after every layer.</summary>
    public bool OutputHiddenStates { get; init; }

    /// <summary>Also return logits when the model has a language-model head.</summary>
    public bool OutputLogits { get; init; }

    /// <summary>
    /// Positions <c>[batch, P]</c> (int64, indices into the new tokens) whose last hidden state is wanted, or null for
    /// every position. When set, <see cref="BackboneOutput.LastHiddenState"/> is <c>[batch, P, d]</c>, row p of
    /// sequence b being position <c>OutputPositions[b, p]</c> (repeats allowed), and the backbone may skip the work
    /// only other positions need (the last layer's queries, attention output and MLP): a training step whose loss
    /// reads a few positions of each window is then cheaper. Not combinable with a cache, hidden states or logits.
    /// </summary>
    public torch.Tensor? OutputPositions { get; init; }
}
