using TorchSharp;

namespace NetLlm.Abstractions.Models;

/// <summary>
/// The task-specific part of NetLLM's decision model: turns observations into tokens with the slot encoders and
/// embeds actions. The engine adds the return and timestep embeddings and the layer norm, lays a step out as
/// <c>[R, segment 0, segment 1, ..., a]</c>, runs the backbone and calls head <c>j</c> on the hidden state of the last
/// token of segment <c>j</c>. Segment 0 holds the observation's tokens; segment <c>j &gt; 0</c> holds tokens that depend
/// on the components already chosen (for job scheduling, the executor token of the chosen stage's job).
/// </summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
public interface IDecisionTokenizer<TObservation> : IDisposable
{
    /// <summary>The tokenizer's own trainable modules by state-dict name (projections, the action embedding), in creation order.</summary>
    IReadOnlyList<KeyValuePair<string, torch.nn.Module>> Modules { get; }

    /// <summary>
    /// Tokens of segment <paramref name="component"/> for many steps: <paramref name="prefixes"/>[i] holds the components
    /// of step i's action chosen so far (at least <paramref name="component"/>). Returns tokens <c>[n, maxTokens, d]</c>
    /// and the real length of each row; the caller owns the result; inputs are borrowed.
    /// </summary>
    /// <param name="component">Segment index.</param>
    /// <param name="observations">Observations.</param>
    /// <param name="prefixes">Components chosen so far per step.</param>
    SegmentTokens EncodeSegment(int component, IReadOnlyList<TObservation> observations, IReadOnlyList<int[]> prefixes);

    /// <summary>
    /// Which choices of head <paramref name="component"/> are valid for each step: a new boolean tensor
    /// <c>[n, choices]</c> owned by the caller, or null when every choice is always valid.
    /// </summary>
    /// <param name="component">Head index.</param>
    /// <param name="observations">Observations.</param>
    /// <param name="prefixes">Components chosen so far per step.</param>
    torch.Tensor? ValidChoices(int component, IReadOnlyList<TObservation> observations, IReadOnlyList<int[]> prefixes);

    /// <summary>Embeds complete actions: a new <c>[n, d]</c> tensor owned by the caller.</summary>
    /// <param name="observations">Observations the actions were taken in.</param>
    /// <param name="actions">All components of each action.</param>
    torch.Tensor EmbedAction(IReadOnlyList<TObservation> observations, IReadOnlyList<int[]> actions);
}
