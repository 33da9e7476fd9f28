using NetLlm.Abstractions.Options;

namespace NetLlm.Tasks.AdaptiveBitrate.Settings;

/// <summary>
/// The ABR task's options: where the traces and the video come from (a trace folder with its video, or generated
/// data), the original's <c>fixed</c> switch, how many traces and videos a run takes, and the benchmark's duration.
/// Relative paths are looked up under the data root first. The named settings (<see cref="AbrSettings"/>) set the
/// data options; <c>--traces</c> or <c>--synthetic</c> without a setting describe a custom run.
/// </summary>
public sealed record AbrOptions
{
    /// <summary>Trace folder (one trace per file: <c>time_s  Mbps</c> per line); null for generated traces.</summary>
    [Option("trace folder (time_s <TAB> Mbps per line); relative paths are looked up under the data root first")]
    public string? Traces { get; init; }

    /// <summary>Chunk-size folder of the video streamed over <see cref="Traces"/>.</summary>
    [Option("chunk-size folder (video_size_0..5, 49 lines of bytes each); required with --traces, optional with --synthetic")]
    public string? Video { get; init; }

    /// <summary>JSON list of start pointers, one per trace of <see cref="Traces"/> in sorted file order.</summary>
    [Option("JSON list of per-trace start pointers (sorted file order)")]
    public string? StartPointers { get; init; }

    /// <summary>The original's <c>fixed</c>: sorted trace order, no delay noise, pointers from the file or 1.</summary>
    [Option("sorted trace order, no delay noise, start pointers from the file or the trace's first sample")]
    public bool Deterministic { get; init; }

    /// <summary>Cycle through only the first N traces of the (possibly shuffled) order; null for all.</summary>
    [Option("cycle through only the first N traces of the (possibly shuffled) order (default: all)", Minimum = 1, Maximum = 1_000_000)]
    public int? TraceCount { get; init; }

    /// <summary>Videos streamed per run; null for one per trace.</summary>
    [Option("number of videos to stream (default: one per trace)", Minimum = 1, Maximum = 10_000_000)]
    public int? Episodes { get; init; }

    /// <summary>Stream over generated traces (and a generated video unless <see cref="Video"/> is given).</summary>
    [Option("use generated traces, and a generated video unless --video is given, instead of data files (see SYNTHETIC.md)")]
    public bool Synthetic { get; init; }

    /// <summary>Number of generated traces.</summary>
    [Option("number of generated traces", Minimum = 1, Maximum = 100_000)]
    public int SyntheticCount { get; init; } = 100;

    /// <summary>Seed of the generated traces; the generated video uses this seed + 1.</summary>
    [Option("seed of the generated traces (the video uses seed + 1)", Minimum = 0, Maximum = int.MaxValue - 1)]
    public int SyntheticSeed { get; init; } = 1;

    /// <summary>Benchmark: minimum measured wall time per policy, in seconds.</summary>
    [Option("benchmark: minimum measured wall time per policy in seconds", Minimum = 0.001, Maximum = 3600, Verbs = VerbScope.Bench)]
    public double BenchSeconds { get; init; } = 2.0;
}
