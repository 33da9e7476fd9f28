using System.CommandLine;

namespace NetLlm.Cli.Sweeps;

/// <summary>
/// Checks a sweep against the task's real <c>adapt</c> and <c>test</c> commands before anything runs: every option
/// name is one of the verb's options (not one the sweep sets itself), and every item's command line parses. Errors
/// name the sweep file and the key.
/// </summary>
public static class SweepValidation
{
    /// <summary>Throws <see cref="SweepFileException"/> for the first problem found.</summary>
    /// <param name="tasks">The ids of the loaded tasks.</param>
    /// <param name="root">The command tree built for the sweep's task.</param>
    /// <param name="lines">The items' command lines.</param>
    /// <param name="items">The grid.</param>
    public static void Check(IReadOnlyCollection<string> tasks, RootCommand root, SweepCommandLines lines, IReadOnlyList<SweepItem> items)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(items);
        var file = lines.File;
        if (!tasks.Contains(file.Task))
        {
            throw new SweepFileException(file.Path, "task", $"no task '{file.Task}' is loaded (tasks: {string.Join(", ", tasks.Order(StringComparer.Ordinal))}; `netllm plugins` lists the plugins)");
        }

        var adapt = root.Subcommands.Single(c => c.Name == "adapt");
        var test = root.Subcommands.Single(c => c.Name == "test");
        Names(root, adapt, file, "adapt", file.Adapt);
        Names(root, adapt, file, "axes", file.Axes.Select(a => new SweepOption(a.Name, a.Values)));
        if (file.Test is { } testOptions)
        {
            Names(root, test, file, "test", testOptions);
        }

        foreach (var item in items)
        {
            Parses(root, file, $"axes ({item.Label})", lines.Adapt(item, resume: false));
            if (lines.Test(item) is { } line)
            {
                Parses(root, file, "test", line);
            }
        }
    }

    private static void Names(RootCommand root, Command verb, SweepFile file, string section, IEnumerable<SweepOption> options)
    {
        var known = verb.Options.Concat(root.Options.Where(o => o.Recursive)).SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var option in options)
        {
            if (SweepCommandLines.Reserved.Contains(option.Name))
            {
                throw new SweepFileException(file.Path, section + "." + option.Name, "the sweep sets this option itself");
            }

            if (!known.Contains("--" + option.Name))
            {
                throw new SweepFileException(file.Path, section + "." + option.Name, $"not an option of `netllm {verb.Name} --task {file.Task}` (`netllm {verb.Name} --task {file.Task} --help` lists them)");
            }
        }
    }

    private static void Parses(RootCommand root, SweepFile file, string key, string[] line)
    {
        var parse = root.Parse(line);
        if (parse.Errors.Count > 0)
        {
            throw new SweepFileException(file.Path, key, string.Join("; ", parse.Errors.Select(e => e.Message)) + $" (in `netllm {string.Join(' ', line)}`)");
        }
    }
}
