using NetLlm.Abstractions.Tasks;

namespace NetLlm.Tasks.AdaptiveBitrate.Settings;

/// <summary>The ABR task's command-line options (names without dashes).</summary>
public static class AbrOptionNames
{
    /// <summary>Trace folder.</summary>
    public const string Traces = "traces";

    /// <summary>Chunk-size table folder.</summary>
    public const string Video = "video";

    /// <summary>Start-pointer JSON file.</summary>
    public const string StartPointers = "start-pointers";

    /// <summary>Sorted order, no noise, pointers from the file or 1.</summary>
    public const string Deterministic = "deterministic";

    /// <summary>Greedy actions for sampling policies.</summary>
    public const string Argmax = "argmax";

    /// <summary>Folder for per-trace result files.</summary>
    public const string ResultsDir = "results-dir";

    /// <summary>Number of traces to cycle through.</summary>
    public const string TraceCount = "trace-count";

    /// <summary>Number of episodes (videos) to run.</summary>
    public const string Episodes = "episodes";

    /// <summary>Use generated traces and video.</summary>
    public const string Synthetic = "synthetic";

    /// <summary>Number of generated traces.</summary>
    public const string SyntheticCount = "synthetic-count";

    /// <summary>Seed of the generated data.</summary>
    public const string SyntheticSeed = "synthetic-seed";

    /// <summary>Actor weights file for Pensieve-type policies.</summary>
    public const string Actor = "actor";

    /// <summary>RobustMPC reads a float32-rounded state (as the original's pool generator).</summary>
    public const string MpcFloat32State = "mpc-float32-state";

    /// <summary>Minimum measured time per policy in the benchmark, seconds.</summary>
    public const string BenchSeconds = "bench-seconds";

    private static readonly TaskVerb[] RunVerbs = [TaskVerb.Test, TaskVerb.Bench, TaskVerb.Collect, TaskVerb.Adapt];

    /// <summary>The option specifications.</summary>
    public static IReadOnlyList<TaskOptionSpec> Specs { get; } =
    [
        new(Traces, "trace folder (time_s <TAB> Mbps per line); relative paths are looked up under the data root first", OptionKind.Text, RunVerbs),
        new(Video, "chunk-size folder (video_size_0..5, 49 lines of bytes each)", OptionKind.Text, RunVerbs),
        new(StartPointers, "JSON list of per-trace start pointers (sorted file order)", OptionKind.Text, RunVerbs),
        new(Deterministic, "sorted trace order, no delay noise, start pointers from the file or the trace's first sample", OptionKind.Flag, RunVerbs),
        new(Argmax, "Pensieve-type policies (GENET, UDR) take the most likely action instead of sampling", OptionKind.Flag, RunVerbs),
        new(ResultsDir, "write one result file per trace in the original's 8-column format into this folder", OptionKind.Text, [TaskVerb.Test]),
        new(TraceCount, "cycle through only the first N traces of the (possibly shuffled) order", OptionKind.Integer, RunVerbs),
        new(Episodes, "number of videos to stream (default: one per trace)", OptionKind.Integer, RunVerbs),
        new(Synthetic, "use generated traces and video instead of data files (see SYNTHETIC.md)", OptionKind.Flag, RunVerbs),
        new(SyntheticCount, "number of generated traces (default 100)", OptionKind.Integer, RunVerbs),
        new(SyntheticSeed, "seed of the generated traces (the video uses seed + 1; default 1)", OptionKind.Integer, RunVerbs),
        new(Actor, "actor.safetensors for abr.genet / abr.udr-* (default: <data>/abr/models/<name>/actor.safetensors)", OptionKind.Text, RunVerbs),
        new(MpcFloat32State, "RobustMPC reads the state rounded to float32 (the original's experience-pool generator does)", OptionKind.Flag, RunVerbs),
        new(BenchSeconds, "benchmark: minimum measured wall time per policy in seconds (default 2)", OptionKind.Real, [TaskVerb.Bench]),
    ];
}
