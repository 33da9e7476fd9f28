using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Tasks;
using NetLlm.Cli.Cluster;
using NetLlm.Cli.Infrastructure;
using NetLlm.Core.Engine;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Cli.Commands;

/// <summary>
/// The paper's three APIs as verbs — <c>collect</c> (RL_Collect), <c>adapt</c> (Adapt), <c>test</c> (Test). Each
/// command is built for the task named by <c>--task</c> (found before parsing): it takes that task's options only,
/// typed from its options record, plus the engine's and the named policies' options, and runs through the engine.
/// </summary>
public static class TaskVerbCommands
{
    /// <summary>Options of the task verbs themselves (task options may not use these names).</summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "task", "policy", "policies", "setting", "settings", "seeds", "report", "parallel", "no-plots", "out", "json",
        "data-root", "seed", "threads", "config", "plugins-dir", "progress", "help", "encoder", "encoder-option", "cluster", "shard", "shards",
    };

    /// <summary>Creates the three commands.</summary>
    /// <param name="runner">Command runner.</param>
    /// <param name="host">Loaded plugins.</param>
    /// <param name="loggers">Logger factory (for an in-process cluster's commands: <c>collect --cluster</c>).</param>
    /// <param name="taskId">The task named on the command line, or null.</param>
    /// <param name="policies">Policy arguments found on the command line.</param>
    public static IEnumerable<Command> Create(CommandRunner runner, PluginHost host, ILoggerFactory loggers, string? taskId, IReadOnlyList<string> policies)
    {
        ArgumentNullException.ThrowIfNull(host);
        var registry = host.Registry;
        yield return Build(runner, registry, taskId, policies, TaskVerb.Test, "test", "Evaluate a baseline policy or an adapted run directory on a task setting (Test)");
        yield return Build(runner, registry, taskId, policies, TaskVerb.Collect, "collect", "Run existing policies in a task environment and write an experience pool (RL_Collect)", new CollectSharding(host, loggers));
        yield return Build(runner, registry, taskId, policies, TaskVerb.Adapt, "adapt", "Adapt a backbone with LoRA plus the task's encoders and heads; write a run directory (Adapt)");
    }

    /// <summary>The tasks a verb runs for, as help text.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="verb">The verb.</param>
    public static string TaskList(IPluginRegistry registry, TaskVerb verb)
    {
        var ids = registry.Tasks.Where(t => verb != TaskVerb.Collect || t.Info.Kind == TaskKind.Decision).Select(t => t.Info.Id)
            .Order(StringComparer.Ordinal).ToList();
        return ids.Count > 0 ? string.Join(", ", ids) : "(no task plugin loaded)";
    }

    /// <summary>The scope of a verb.</summary>
    /// <param name="verb">The verb.</param>
    public static VerbScope Scope(TaskVerb verb) => verb switch
    {
        TaskVerb.Collect => VerbScope.Collect,
        TaskVerb.Adapt => VerbScope.Adapt,
        TaskVerb.Bench => VerbScope.Bench,
        _ => VerbScope.Test,
    };

    internal static IReadOnlyList<string> SplitList(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    private static Command Build(CommandRunner runner, IPluginRegistry registry, string? taskId, IReadOnlyList<string> policies, TaskVerb verb, string name, string description, CollectSharding? sharding = null)
    {
        var task = registry.Tasks.FirstOrDefault(t => t.Info.Id == taskId);

        var taskOption = new Option<string>("--task")
        {
            Description = $"Task id: {TaskList(registry, verb)} (`netllm {name} --task ID --help` lists that task's options)",
            Required = true,
        };
        var setting = new Option<string?>("--setting") { Description = "Named setting of the task (default, unseen-1, ...)" };
        var output = new Option<string?>("--out")
        {
            Description = verb switch
            {
                TaskVerb.Collect => "Experience pool file to write",
                TaskVerb.Adapt => "Run directory to write",
                _ => "Folder for per-item result files (one sub-folder per policy when several are tested)",
            },
        };
        var policy = new Option<string[]>("--policy", "--policies") { Description = "Policy ids or adapted run directories (comma-separated or repeated)", AllowMultipleArgumentsPerToken = false };
        var json = JsonOption.Create();
        var command = new Command(name, task is null ? description : $"{description} — task {task.Info.Id}: {task.Info.Title}") { taskOption, setting, output, json };
        sharding?.Add(command);
        if (verb != TaskVerb.Adapt)
        {
            policy.Required = true;
            command.Options.Add(policy);
        }

        // collect of a decision task cannot run without its pool file: say so at parse time, naming the option.
        output.Required = verb == TaskVerb.Collect && (task is null || TaskShape.Of(task).Kind == TaskKind.Decision);

        TaskVerbOptions? options = null;
        if (task is not null)
        {
            var shape = TaskShape.Of(task);
            if (verb != TaskVerb.Collect || shape.Kind == TaskKind.Decision)
            {
                options = new TaskVerbOptions(command, shape, Scope(verb), registry, policies, Reserved);
            }
        }

        runner.Bind(command, (parse, session) =>
        {
            var id = parse.GetRequiredValue(taskOption);
            var chosen = session.Registry.GetTask(id);
            if (options is null)
            {
                throw new ArgumentException(chosen.Info.Kind == TaskKind.Prediction && verb == TaskVerb.Collect
                    ? $"task '{id}' is a prediction task: it learns from its dataset, there is no experience to collect (verbs: test, adapt, eval)"
                    : $"task '{id}' was not found before parsing; pass --task {id} as a separate argument");
            }

            var chosenPolicies = SplitList(parse.GetValue(policy));
            var request = options.Request(parse, session, verb, parse.GetValue(setting), chosenPolicies, parse.GetValue(output));
            var (lines, document) = sharding?.ClusterRun(parse, session, id, chosenPolicies, request.Output!) ?? Local(session, request with { Shard = sharding?.Shard(parse, chosenPolicies.Count) });
            JsonOption.Write(parse, json, document);
            var text = JsonOption.ToStdout(parse, json) ? Console.Error : Console.Out;
            foreach (var line in lines)
            {
                text.WriteLine(line);
            }

            return ExitCodes.Success;
        }, stopsOnSignal: true);
        return command;
    }

    private static (IReadOnlyList<string> Lines, JsonNode Json) Local(CliSession session, VerbRequest request)
    {
        var result = ProgressRunner.Run(session.Options.Progress, sink => TaskEngine.Run(request with { Context = request.Context with { Progress = sink } }));
        return (result.Summary(), result.ToJson());
    }
}
