namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// Writes states into and reads them from an experience pool as named numeric arrays (variable length per step
/// is allowed: graphs). Bump <see cref="Version"/> when the layout changes.
/// </summary>
/// <typeparam name="TState">State type.</typeparam>
public interface IStateCodec<TState>
{
    /// <summary>Layout version recorded in the pool.</summary>
    int Version { get; }

    /// <summary>Writes one state's arrays.</summary>
    /// <param name="state">The state.</param>
    /// <param name="writer">Receives named float and integer arrays.</param>
    void Write(TState state, IStateWriter writer);

    /// <summary>Reads one state back.</summary>
    /// <param name="reader">Provides the named arrays of one step.</param>
    TState Read(IStateReader reader);
}

/// <summary>Receives the arrays of one state.</summary>
public interface IStateWriter
{
    /// <summary>Adds a float array.</summary>
    /// <param name="name">Array name (the same names for every step).</param>
    /// <param name="values">Values.</param>
    void Floats(string name, ReadOnlySpan<float> values);

    /// <summary>Adds an integer array.</summary>
    /// <param name="name">Array name.</param>
    /// <param name="values">Values.</param>
    void Ints(string name, ReadOnlySpan<long> values);
}

/// <summary>Provides the arrays of one stored state.</summary>
public interface IStateReader
{
    /// <summary>The float array stored under <paramref name="name"/>.</summary>
    /// <param name="name">Array name.</param>
    ReadOnlySpan<float> Floats(string name);

    /// <summary>The integer array stored under <paramref name="name"/>.</summary>
    /// <param name="name">Array name.</param>
    ReadOnlySpan<long> Ints(string name);
}
