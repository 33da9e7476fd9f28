using System.CommandLine;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Cli.Infrastructure;

/// <summary>
/// The task-specific options of one verb: the union of what every loaded task declares for it (plus options the
/// shared machinery declares), added to the command, and read back into <see cref="TaskArguments"/>.
/// </summary>
public sealed class TaskOptionSet
{
    private readonly List<(TaskOptionSpec Spec, Option Option)> _options = [];

    /// <summary>Adds the options that apply to <paramref name="verb"/> to <paramref name="command"/>.</summary>
    /// <param name="command">The verb's command.</param>
    /// <param name="verb">The verb.</param>
    /// <param name="tasks">Loaded tasks.</param>
    /// <param name="shared">Options declared by the shared machinery (adaptation loop).</param>
    /// <param name="reserved">Option names the command already has.</param>
    public TaskOptionSet(Command command, TaskVerb verb, IEnumerable<ITaskDefinition> tasks, IEnumerable<TaskOptionSpec> shared, ISet<string> reserved)
    {
        var byName = new Dictionary<string, (TaskOptionSpec Spec, List<string> Owners)>(StringComparer.Ordinal);
        foreach (var spec in shared.Where(s => s.Verbs.Contains(verb)))
        {
            byName.TryAdd(spec.Name, (spec, []));
        }

        foreach (var task in tasks)
        {
            foreach (var spec in task.Options.Where(s => s.Verbs.Contains(verb)))
            {
                if (byName.TryGetValue(spec.Name, out var existing))
                {
                    if (existing.Owners.Count > 0)
                    {
                        existing.Owners.Add(task.Id);
                    }
                }
                else
                {
                    byName[spec.Name] = (spec, [task.Id]);
                }
            }
        }

        foreach (var (name, (spec, owners)) in byName.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (reserved.Contains(name))
            {
                continue;
            }

            var description = owners.Count > 0 ? $"({string.Join(", ", owners)}) {spec.Description}" : spec.Description;
            Option option = spec.Kind == OptionKind.Flag
                ? new Option<bool>("--" + name) { Description = description }
                : new Option<string?>("--" + name) { Description = description };
            command.Options.Add(option);
            _options.Add((spec, option));
        }
    }

    /// <summary>Values the user gave, by option name (flags as <c>true</c>).</summary>
    /// <param name="parse">Parse result.</param>
    public Dictionary<string, string> Values(ParseResult parse)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (spec, option) in _options)
        {
            // Only options typed on the command line: an implicit (default) value must not override a setting's
            // value (a flag's implicit false would turn off the setting's --deterministic).
            if (parse.GetResult(option) is not { Implicit: false })
            {
                continue;
            }

            if (option is Option<bool> flag)
            {
                values[spec.Name] = parse.GetValue(flag) ? "true" : "false";
            }
            else if (option is Option<string?> text && parse.GetValue(text) is { } v)
            {
                values[spec.Name] = v;
            }
        }

        return values;
    }
}
