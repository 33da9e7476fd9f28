using NetLlm.Abstractions.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// The task-specific part of NetLLM for a decision task: the multimodal state encoder, the action embedding and
/// the networking heads. The shared loop (OfflineRlTrainer) adds the return and timestep
/// embeddings and the layer norm, lays out the tokens, runs the backbone and applies the loss.
/// <para>
/// A step is laid out as <c>[R, segment 0 tokens, segment 1 tokens, ..., a]</c>. Segment 0 holds the state tokens;
/// segment <c>j &gt; 0</c> holds tokens that depend on the action components already chosen (for job scheduling,
/// the executor token of the chosen stage's job). Head <c>j</c> reads the hidden state of the last token of segment
/// <c>j</c> and scores action component <c>j</c>. ABR has one component (the bitrate); CJS has two (stage, executors).
/// </para>
/// </summary>
/// <typeparam name="TState">The state type the environment observes (as stored in the experience pool).</typeparam>
public interface IDecisionModel<TState> : IDisposable
{
    /// <summary>The module holding every trainable parameter of the encoders, action embedding and heads.</summary>
    nn.Module Module { get; }

    /// <summary>Token width d (the backbone's hidden size).</summary>
    int EmbeddingDim { get; }

    /// <summary>Number of action components (segments and heads).</summary>
    int ActionComponents { get; }

    /// <summary>Number of choices of each component's head (the width of its logits).</summary>
    IReadOnlyList<int> ComponentChoices { get; }

    /// <summary>
    /// Encodes segment <paramref name="component"/> of many steps at once. <paramref name="actions"/>[i] holds the
    /// components of step i's action chosen so far (at least <paramref name="component"/> of them; for segment 0 it
    /// may be empty). Returns tokens <c>[n, maxTokens, d]</c> (rows padded at the end) and the number of real tokens
    /// per row; the caller owns the result.
    /// </summary>
    /// <param name="component">Segment index.</param>
    /// <param name="states">States of the steps (borrowed).</param>
    /// <param name="actions">Action components chosen so far per step.</param>
    SegmentTokens EncodeSegment(int component, IReadOnlyList<TState> states, IReadOnlyList<int[]> actions);

    /// <summary>
    /// Logits of component <paramref name="component"/> from the hidden state at the last token of its segment:
    /// <paramref name="hidden"/> <c>[n, d]</c> (borrowed) to a new <c>[n, ComponentChoices[component]]</c> tensor
    /// (caller owns) where invalid choices for each state hold a large negative value, so that sampling or argmax
    /// always yields a valid action.
    /// </summary>
    /// <param name="component">Component index.</param>
    /// <param name="hidden">Hidden states <c>[n, d]</c>.</param>
    /// <param name="states">States of the steps.</param>
    /// <param name="actions">Action components chosen so far per step.</param>
    Tensor Logits(int component, Tensor hidden, IReadOnlyList<TState> states, IReadOnlyList<int[]> actions);

    /// <summary>Embeds complete actions: a new <c>[n, d]</c> tensor owned by the caller.</summary>
    /// <param name="states">States the actions were taken in.</param>
    /// <param name="actions">All components of each action.</param>
    Tensor EmbedAction(IReadOnlyList<TState> states, IReadOnlyList<int[]> actions);
}
