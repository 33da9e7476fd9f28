using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetLlm.Abstractions.Plugins;

namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// What a task's code runs with: the data root, the seed, progress, logging and cancellation. Immutable: derive a
/// changed copy with <c>context with { Seed = ... }</c>.
/// </summary>
public sealed record TaskContext
{
    /// <summary>Data root (the layout of the project's data folder), or null when none is configured.</summary>
    public string? DataRoot { get; init; }

    /// <summary>Seed of the run; reported with every result.</summary>
    public int Seed { get; init; }

    /// <summary>The verb being run.</summary>
    public TaskVerb Verb { get; init; } = TaskVerb.Test;

    /// <summary>Progress reporting.</summary>
    public IProgressSink Progress { get; init; } = NullProgressSink.Instance;

    /// <summary>Logger.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Cancellation (Ctrl+C, SIGTERM).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// The loaded plugins, for task code that creates other plugins' policies by id (a benchmark measuring the task's
    /// baselines), or null when the host gives none.
    /// </summary>
    public IPluginRegistry? Registry { get; init; }

    /// <summary>What the host tells a user who has no data root (how to configure or fetch one).</summary>
    public string MissingDataRoot { get; init; } = "no data root is configured";

    /// <summary>
    /// A path given in an option: absolute paths as they are, relative ones under the data root when they exist
    /// there, else under the working directory. Throws <see cref="FileNotFoundException"/> naming
    /// <paramref name="what"/> and every place looked at, or <see cref="ArgumentException"/> (a configuration error)
    /// when the path is relative, not in the working directory, and no data root is configured.
    /// </summary>
    /// <param name="path">The path as given.</param>
    /// <param name="what">What it is, for messages (for example <c>option --traces</c>).</param>
    public string ResolvePath(string path, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Path.IsPathRooted(path))
        {
            return Exists(path) ? path : throw new FileNotFoundException($"{what}: {path} does not exist", path);
        }

        if (DataRoot is not null)
        {
            var underRoot = Path.GetFullPath(Path.Combine(DataRoot, path));
            if (Exists(underRoot))
            {
                return underRoot;
            }
        }

        var local = Path.GetFullPath(path);
        if (Exists(local))
        {
            return local;
        }

        // Without a data root the missing root is the cause: say so first (the path may be a default the user never typed).
        // A missing data root is a configuration error (exit 2), as the policy resolver reports it; a missing file under a
        // configured root is a data error.
        if (DataRoot is null)
        {
            throw new ArgumentException($"{MissingDataRoot}; it is needed for '{path}' ({what}), which is not in the working directory either ({local})");
        }

        throw new FileNotFoundException($"{what}: '{path}' not found (looked at {Path.Combine(DataRoot, path)} and {local})", path);
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
