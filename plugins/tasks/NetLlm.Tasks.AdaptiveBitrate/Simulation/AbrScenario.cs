using NetLlm.Tasks.AdaptiveBitrate.Data;

namespace NetLlm.Tasks.AdaptiveBitrate.Simulation;

/// <summary>
/// Everything an <see cref="AbrEnvironment"/> is built from: the traces (in sorted file order), the video, optional
/// start pointers and the original's <c>fixed</c> switch. Immutable.
/// </summary>
public sealed record AbrScenario
{
    /// <summary>Creates a scenario, checking that the pieces fit together.</summary>
    /// <param name="name">Name for reports, for example <c>default</c> or a trace folder.</param>
    /// <param name="traces">Traces in sorted file order (at least one).</param>
    /// <param name="video">Chunk-size table.</param>
    /// <param name="startPointers">One start pointer per trace (same order), or null.</param>
    /// <param name="deterministic">
    /// The original's <c>fixed</c>: traces in the given order, no delay noise; without start pointers every trace
    /// starts at its beginning (pointer 1). When false the trace order is shuffled and missing pointers are drawn
    /// at random, both from numpy's generator seeded 998244353 as the original does, and every delay is multiplied by
    /// U(0.9, 1.1).
    /// </param>
    /// <param name="traceCount">Traces the environment cycles through (the first of the order), or null for all.</param>
    public AbrScenario(string name, IReadOnlyList<BandwidthTrace> traces, AbrVideo video, IReadOnlyList<int>? startPointers, bool deterministic, int? traceCount = null)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(video);
        if (traces.Count == 0)
        {
            throw new ArgumentException($"scenario {name}: no traces", nameof(traces));
        }

        if (startPointers is not null)
        {
            StartPointerFile.Check($"scenario {name} start pointers", startPointers, traces);
        }

        var count = traceCount ?? traces.Count;
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(traceCount), count, $"scenario {name}: trace count must be at least 1");
        }

        Name = name;
        Traces = traces;
        Video = video;
        StartPointers = startPointers;
        Deterministic = deterministic;
        TraceCount = Math.Min(count, traces.Count);
    }

    /// <summary>Name for reports.</summary>
    public string Name { get; }

    /// <summary>Traces in sorted file order.</summary>
    public IReadOnlyList<BandwidthTrace> Traces { get; }

    /// <summary>The video.</summary>
    public AbrVideo Video { get; }

    /// <summary>Start pointers, one per trace, or null.</summary>
    public IReadOnlyList<int>? StartPointers { get; }

    /// <summary>The original's <c>fixed</c> switch (sorted order, no noise).</summary>
    public bool Deterministic { get; }

    /// <summary>Number of traces the environment cycles through.</summary>
    public int TraceCount { get; }
}
