namespace NetLlm.Core.Adaptation;

/// <summary>
/// A training label is a choice the task's model marks invalid for its state (its logit is masked), so its
/// cross-entropy would be meaningless: the pool and the model's options disagree (for example a pool holding an action
/// the model was built without). The adaptation engine rethrows it as an <see cref="InvalidDataException"/> naming the
/// pool file.
/// </summary>
public sealed class MaskedLabelException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="step">Pool index of the step (its index in the batch when the batch has no pool indices).</param>
    /// <param name="component">Action component.</param>
    /// <param name="label">The label.</param>
    public MaskedLabelException(int step, int component, long label)
        : base($"step {step}: action component {component} is {label}, a choice the task's model does not offer in that state")
    {
        Step = step;
        Component = component;
        Label = label;
    }

    /// <summary>Pool index of the step (its index in the batch when the batch has no pool indices).</summary>
    public int Step { get; }

    /// <summary>Action component.</summary>
    public int Component { get; }

    /// <summary>The label.</summary>
    public long Label { get; }
}
