using System.CommandLine;

namespace NetLlm.Cli.Infrastructure;

/// <summary>Options every verb accepts (declared once on the root command, recursive).</summary>
public sealed class CommonOptions
{
    /// <summary>Data root.</summary>
    public Option<string?> DataRoot { get; } = new("--data-root") { Description = "Data root (layout of the project's data folder); also NETLLM_DATA_ROOT or the config key dataRoot", Recursive = true };

    /// <summary>Seed.</summary>
    public Option<int?> Seed { get; } = new("--seed") { Description = "Seed of the run (reported with every result)", Recursive = true };

    /// <summary>Torch threads.</summary>
    public Option<int?> Threads { get; } = new("--threads") { Description = "Torch intra-op threads (default: all cores)", Recursive = true };

    /// <summary>Configuration file.</summary>
    public Option<string?> Config { get; } = new("--config") { Description = "Configuration file (default: ./netllm.json when present, or NETLLM_CONFIG)", Recursive = true };

    /// <summary>Plugin roots.</summary>
    public Option<string[]> PluginsDir { get; } = new("--plugins-dir") { Description = "Plugins directory (repeatable; default: NETLLM_PLUGINS, else ./plugins next to netllm)", Recursive = true, AllowMultipleArgumentsPerToken = false };

    /// <summary>Progress display.</summary>
    public Option<string?> Progress { get; } = new("--progress") { Description = "Progress display: auto, bar, plain or none", Recursive = true };

    /// <summary>Adds the options to <paramref name="root"/>.</summary>
    /// <param name="root">The root command.</param>
    public void AddTo(Command root)
    {
        root.Options.Add(DataRoot);
        root.Options.Add(Seed);
        root.Options.Add(Threads);
        root.Options.Add(Config);
        root.Options.Add(PluginsDir);
        root.Options.Add(Progress);
    }
}
