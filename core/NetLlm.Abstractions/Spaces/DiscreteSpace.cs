namespace NetLlm.Abstractions.Spaces;

/// <summary>The integers <c>Start .. Start + Count - 1</c>.</summary>
/// <param name="Count">Number of elements (at least 1).</param>
/// <param name="Start">Smallest element.</param>
public sealed record DiscreteSpace(int Count, int Start = 0) : ISpace<int>
{
    /// <inheritdoc />
    public bool Contains(int value) => value >= Start && value < Start + Count;

    /// <inheritdoc />
    public int Sample(Random random) => Start + random.Next(Count);

    /// <inheritdoc />
    public string Describe() => Start == 0 ? $"Discrete({Count})" : $"Discrete({Count}, start={Start})";
}
