namespace NetLlm.Abstractions.Spaces;

/// <summary>
/// A set of valid values, as Gymnasium's <c>Space</c>: environments declare their observation and action spaces,
/// policies and heads are checked against them.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public interface ISpace<T>
{
    /// <summary>True when <paramref name="value"/> belongs to the space.</summary>
    /// <param name="value">Candidate element.</param>
    bool Contains(T value);

    /// <summary>A uniformly drawn element.</summary>
    /// <param name="random">Source of randomness (seeded by the caller).</param>
    T Sample(Random random);

    /// <summary>Human-readable description, for example <c>Discrete(6)</c>.</summary>
    string Describe();
}
