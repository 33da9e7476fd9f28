namespace NetLlm.Hosting.Configuration;

/// <summary>
/// The typed configuration of the <c>netllm</c> command, bound from <c>netllm.json</c> (JSON names in camelCase,
/// for example <c>dataRoot</c>) and overridden by command-line options.
/// </summary>
public sealed class NetLlmOptions
{
    /// <summary>Data root (layout of the project's data folder).</summary>
    public string? DataRoot { get; set; }

    /// <summary>Plugins root (overridden by <c>--plugins-dir</c> and <c>NETLLM_PLUGINS</c>).</summary>
    public string? PluginsDir { get; set; }

    /// <summary>Seed of every run (reported with the results).</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Torch intra-op threads; 0 keeps libtorch's default (all cores); at most <see cref="MaxThreads"/>.</summary>
    public int Threads { get; set; }

    /// <summary>The largest <see cref="Threads"/> accepted: the cores available to this process.</summary>
    public static int MaxThreads => Environment.ProcessorCount;

    /// <summary>Progress display: auto (bar on a terminal, lines otherwise), bar, plain or none.</summary>
    public string Progress { get; set; } = "auto";

    /// <summary>Default task options by task id (for example <c>tasks.abr.traces</c>); command-line options win.</summary>
    public Dictionary<string, Dictionary<string, string>> Tasks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Accepted values of <see cref="Progress"/>.</summary>
    public static IReadOnlyList<string> ProgressModes { get; } = ["auto", "bar", "plain", "none"];
}
