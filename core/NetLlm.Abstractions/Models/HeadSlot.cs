namespace NetLlm.Abstractions.Models;

/// <summary>
/// A networking head of a task's model: it maps backbone features of width d to a valid answer in one pass. The engine
/// creates it (a categorical head over <see cref="Outputs"/> choices, with invalid choices masked, or a bounded head)
/// unless <see cref="Create"/> supplies a task-specific one.
/// </summary>
/// <param name="Name">Head name; also the state-dict prefix of its parameters, for example <c>action_head</c>.</param>
/// <param name="Kind">Categorical (choices) or bounded (values in [-1, 1]).</param>
/// <param name="Outputs">Number of choices, or of bounded values.</param>
/// <param name="Description">What it answers.</param>
public sealed record HeadSlot(string Name, HeadKind Kind, int Outputs, string Description)
{
    /// <summary>Creates a task-specific head for input width d instead of the engine's; null for the engine's.</summary>
    public Func<int, INetworkingHead>? Create { get; init; }
}

/// <summary>What a head answers.</summary>
public enum HeadKind
{
    /// <summary>One of <see cref="HeadSlot.Outputs"/> choices (logits; invalid choices masked).</summary>
    Categorical,

    /// <summary><see cref="HeadSlot.Outputs"/> values in [-1, 1] (a linear layer and tanh).</summary>
    Bounded,
}
