using System.CommandLine;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Cli.Infrastructure;

/// <summary>Builds <see cref="TaskRequest"/>s from the command line, the configuration and setting presets.</summary>
public static class TaskRequests
{
    /// <summary>
    /// Merges option values: the configuration's defaults for the task (<c>tasks.&lt;id&gt;</c>), then the named
    /// setting's values (when <paramref name="setting"/> is given), then the options on the command line.
    /// </summary>
    /// <param name="parse">Parse result.</param>
    /// <param name="session">Session.</param>
    /// <param name="task">The task.</param>
    /// <param name="verb">The verb.</param>
    /// <param name="setting">Setting name, or null.</param>
    /// <param name="policies">Policy ids or run directories.</param>
    /// <param name="output">Output path, or null.</param>
    /// <param name="explicitValues">Task options given on the command line.</param>
    public static TaskRequest Build(ParseResult parse, CliSession session, ITaskDefinition task, TaskVerb verb, string? setting, IReadOnlyList<string> policies, string? output, IReadOnlyDictionary<string, string> explicitValues)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        if (session.Options.Tasks.TryGetValue(task.Id, out var configured))
        {
            foreach (var (k, v) in configured)
            {
                merged[k] = v;
            }
        }

        if (setting is not null)
        {
            var preset = task.Settings.FirstOrDefault(s => s.Name == setting)
                ?? throw new ArgumentException($"task '{task.Id}' has no setting '{setting}'; settings: {string.Join(", ", task.Settings.Select(s => s.Name))}");
            foreach (var (k, v) in preset.Values)
            {
                merged[k] = v;
            }
        }

        foreach (var (k, v) in explicitValues)
        {
            merged[k] = v;
        }

        _ = parse;
        return new TaskRequest
        {
            Verb = verb,
            DataRoot = session.OptionalDataRoot,
            Seed = session.Seed,
            Policies = policies,
            Setting = setting,
            Arguments = new TaskArguments(merged),
            Output = output,
            Registry = session.Registry,
            Logger = session.Logger,
            Cancellation = session.Cancellation,
        };
    }
}
