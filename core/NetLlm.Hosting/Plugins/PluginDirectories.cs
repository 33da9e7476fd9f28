namespace NetLlm.Hosting.Plugins;

/// <summary>
/// Where plugins are looked for: the folders given with <c>--plugins-dir</c>, else those in the
/// <c>NETLLM_PLUGINS</c> environment variable (separated by the platform's path separator), else the configuration
/// key <c>pluginsDir</c>, else the <c>plugins</c> folder next to the host executable. Each plugin lives in its own
/// folder: <c>&lt;root&gt;/&lt;Name&gt;/&lt;Name&gt;.dll</c>.
/// </summary>
public static class PluginDirectories
{
    /// <summary>Name of the environment variable listing plugin roots.</summary>
    public const string EnvironmentVariable = "NETLLM_PLUGINS";

    /// <summary>The plugin roots in effect.</summary>
    /// <param name="commandLine">Roots given on the command line (may be empty).</param>
    /// <param name="configured">Root from the configuration file, or null.</param>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string>? commandLine, string? configured)
    {
        if (commandLine is { Count: > 0 })
        {
            return commandLine.Select(Path.GetFullPath).ToList();
        }

        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            return env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Path.GetFullPath).ToList();
        }

        if (!string.IsNullOrWhiteSpace(configured))
        {
            return [Path.GetFullPath(configured)];
        }

        return [Default];
    }

    /// <summary>The <c>plugins</c> folder next to the host executable.</summary>
    public static string Default => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>
    /// Plugin folders under <paramref name="roots"/>, sorted, each with the path its main assembly must have
    /// (<c>&lt;Name&gt;/&lt;Name&gt;.dll</c>). Missing roots are skipped.
    /// </summary>
    /// <param name="roots">Plugin roots.</param>
    public static IReadOnlyList<(string Folder, string AssemblyPath)> Enumerate(IEnumerable<string> roots)
    {
        var result = new List<(string, string)>();
        foreach (var root in roots)
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var folder in Directory.GetDirectories(root).OrderBy(f => f, StringComparer.Ordinal))
            {
                var name = Path.GetFileName(folder);
                if (name.StartsWith('.'))
                {
                    continue;
                }

                result.Add((folder, Path.Combine(folder, name + ".dll")));
            }
        }

        return result;
    }
}
