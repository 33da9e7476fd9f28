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

        foreach (var trace in traces)
        {
            CheckFinishes(name, trace, video);
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

    /// <summary>
    /// How many times a download or a buffer-drain sleep may wrap around a trace: the simulator walks the trace sample
    /// by sample, so a trace that delivers almost nothing (1e-300 Mbit/s) or lasts almost no time (1e-12 s steps) would
    /// make one chunk take practically forever. Real traces deliver hundreds of chunks per pass.
    /// </summary>
    public const int MaxPassesPerChunk = 1000;

    /// <summary>
    /// Refuses a trace on which an episode cannot finish in bounded work: the largest chunk must come through, and the
    /// longest buffer-drain sleep (one chunk's length) must pass, within <see cref="MaxPassesPerChunk"/> passes.
    /// </summary>
    private static void CheckFinishes(string scenario, BandwidthTrace trace, AbrVideo video)
    {
        var times = trace.Times;
        var mbps = trace.Mbps;
        var bytesPerPass = 0.0;
        for (var i = 1; i < times.Length; i++)
        {
            var duration = times[i] - (i == 1 ? 0 : times[i - 1]);
            bytesPerPass += mbps[i] * AbrConstants.BytesPerMegabyte / AbrConstants.BitsPerByte * duration * AbrConstants.PacketPayloadPortion;
        }

        var passSeconds = times[^1];
        var downloadPasses = video.LargestChunkBytes / bytesPerPass;
        var sleepPasses = AbrConstants.ChunkLengthMs / AbrConstants.MillisecondsPerSecond / passSeconds;
        if (!(downloadPasses <= MaxPassesPerChunk) || !(sleepPasses <= MaxPassesPerChunk))
        {
            throw new InvalidDataException(FormattableString.Invariant(
                $"scenario {scenario}: trace {trace.QualifiedName} delivers {bytesPerPass:G4} bytes in {passSeconds:G4} s per pass; the largest chunk of video {video.Name} ({video.LargestChunkBytes} bytes) would take {downloadPasses:G4} passes and a {AbrConstants.ChunkLengthMs / AbrConstants.MillisecondsPerSecond} s buffer drain {sleepPasses:G4} (limit {MaxPassesPerChunk}): an episode could not finish"));
        }
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
