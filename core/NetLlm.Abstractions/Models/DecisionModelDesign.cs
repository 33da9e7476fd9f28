namespace NetLlm.Abstractions.Models;

/// <summary>
/// A decision task's NetLLM model: the encoder slots the engine fills from the registry, one head per action
/// component, and the tokenizer that uses the encoders. The engine creates, in this order, the encoders, the
/// tokenizer and the heads, and registers their parameters under the slot, module and head names.
/// </summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
public sealed record DecisionModelDesign<TObservation>
{
    /// <summary>Encoder slots, in creation order.</summary>
    public required IReadOnlyList<EncoderSlot> Encoders { get; init; }

    /// <summary>One head per action component, in component order.</summary>
    public required IReadOnlyList<HeadSlot> Heads { get; init; }

    /// <summary>Creates the tokenizer (after the encoders, before the heads).</summary>
    public required Func<ModelContext, IDecisionTokenizer<TObservation>> CreateTokenizer { get; init; }
}
