using System.CommandLine;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Cli.Infrastructure;

namespace NetLlm.Cli.Commands;

/// <summary>
/// Transitional: the task verbs for contract-1.0 tasks (string options). The paper's three APIs as verbs — <c>collect</c> (RL_Collect), <c>adapt</c> (Adapt), <c>test</c> (Test) — each
/// dispatched to the task named by <c>--task</c>, with the task's own options added to the verb.
/// </summary>
internal static class LegacyTaskVerbCommand
{
    public static Command Build(CommandRunner runner, IReadOnlyList<ITaskDefinition> tasks, IReadOnlyList<TaskOptionSpec> shared, TaskVerb verb, string name, string description)
    {
        var taskIds = tasks.Where(t => t.Verbs.Contains(verb)).Select(t => t.Id).ToArray();
        var task = new Option<string>("--task") { Description = "Task id" + (taskIds.Length > 0 ? ": " + string.Join(", ", taskIds) : " (no task plugin loaded)"), Required = true };
        var policy = new Option<string[]>("--policy", "--policies") { Description = "Policy ids or adapted run directories (comma-separated or repeated)", AllowMultipleArgumentsPerToken = false };
        var setting = new Option<string?>("--setting") { Description = "Named setting of the task (default, unseen-1, ...)" };
        var output = new Option<string?>("--out") { Description = verb switch { TaskVerb.Collect => "Experience pool file to write", TaskVerb.Adapt => "Run directory to write", _ => "Folder for per-item results" } };
        var json = JsonOption.Create();
        var command = new Command(name, description) { task, setting, output, json };
        if (verb != TaskVerb.Adapt)
        {
            command.Options.Add(policy);
            policy.Required = true;
        }

        var reserved = new HashSet<string>(StringComparer.Ordinal) { "task", "policy", "policies", "setting", "out", "json", "data-root", "seed", "threads", "config", "plugins-dir", "progress", "help" };
        var taskOptions = new TaskOptionSet(command, verb, tasks, shared, reserved);
        runner.Bind(command, (parse, session) =>
        {
            var definition = session.Registry.GetLegacyTask(parse.GetRequiredValue(task));
            if (!definition.Verbs.Contains(verb))
            {
                throw new ArgumentException($"task '{definition.Id}' does not support '{name}' (it supports: {string.Join(", ", definition.Verbs.Select(v => v.ToString().ToLowerInvariant()))})");
            }

            var request = TaskRequests.Build(parse, session, definition, verb, parse.GetValue(setting), TaskVerbCommands.SplitList(parse.GetValue(policy)), parse.GetValue(output), taskOptions.Values(parse));
            var report = ProgressRunner.Run(session.Options.Progress, sink => definition.Run(request with { Progress = sink }));
            JsonOption.Write(parse, json, report.Json);
            var text = JsonOption.ToStdout(parse, json) ? Console.Error : Console.Out;
            foreach (var line in report.Summary)
            {
                text.WriteLine(line);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
