namespace Sample.NetLlmDecisionTask.Data;

/// <summary>A capacity trace: one row per step, the capacity of every link in Mbit/s.</summary>
public sealed class LinkTrace
{
    private readonly float[] _capacities;

    /// <summary>Creates a trace.</summary>
    /// <param name="name">Name (the file name, or <c>generated-N</c>).</param>
    /// <param name="rows">Rows of <see cref="LinkConstants.Links"/> capacities each.</param>
    public LinkTrace(string name, IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count <= LinkConstants.History)
        {
            throw new ArgumentException($"trace {name}: {rows.Count} steps; at least {LinkConstants.History + 1} are needed (the history plus one step)");
        }

        Name = name;
        _capacities = new float[rows.Count * LinkConstants.Links];
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != LinkConstants.Links)
            {
                throw new ArgumentException($"trace {name}: step {i} has {rows[i].Length} capacities, expected {LinkConstants.Links}");
            }

            rows[i].CopyTo(_capacities, i * LinkConstants.Links);
        }

        Steps = rows.Count;
    }

    /// <summary>The trace's name.</summary>
    public string Name { get; }

    /// <summary>Steps (rows).</summary>
    public int Steps { get; }

    /// <summary>Capacity of <paramref name="link"/> at <paramref name="step"/>, Mbit/s.</summary>
    /// <param name="step">Row.</param>
    /// <param name="link">Link.</param>
    public float Capacity(int step, int link) => _capacities[(step * LinkConstants.Links) + link];
}
