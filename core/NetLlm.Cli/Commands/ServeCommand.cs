using System.CommandLine;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;
using NetLlm.Cli.Infrastructure;
using NetLlm.Cli.Serving;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;
using NetLlm.Core.Serving;

namespace NetLlm.Cli.Commands;

/// <summary>
/// <c>netllm serve --task T --policy P</c>: answers one decision per HTTP request for a task that has a request
/// protocol (docs/serving.md). Takes the task's, the engine's and the policy's options as <c>test</c> does, plus
/// <see cref="ServeOptions"/>. Prints <c>listening on URL</c> as its first line; Ctrl+C or SIGTERM stops it cleanly
/// (requests in flight finish, every session and the model are freed) with exit code 0.
/// </summary>
public static class ServeCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="runner">Command runner.</param>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="taskId">The task named on the command line, or null.</param>
    /// <param name="policies">Policy arguments found on the command line.</param>
    public static Command Create(CommandRunner runner, NetLlm.Abstractions.Plugins.IPluginRegistry registry, string? taskId, IReadOnlyList<string> policies)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(registry);
        var task = registry.Tasks.FirstOrDefault(t => t.Info.Id == taskId);
        var taskOption = new Option<string>("--task") { Description = $"Task id: {ServableTasks(registry)} (decision tasks with a request protocol)", Required = true };
        var setting = new Option<string?>("--setting") { Description = "Named setting of the task (its video, for abr); default: the test verb's" };
        var policy = new Option<string>("--policy") { Description = "One baseline policy id or adapted run directory", Required = true };
        var command = new Command("serve", "Serve a policy over HTTP: one session per client episode, one decision per request (docs/serving.md)") { taskOption, setting, policy };
        var serveFields = OptionSchema.Of<ServeOptions>().For(VerbScope.Test).Select(f => (f, "netllm serve")).ToList();
        var serve = new TypedOptionSet(command, serveFields, TaskVerbCommands.Reserved);
        TaskVerbOptions? options = null;
        if (task is not null && TaskShape.Of(task).Kind == TaskKind.Decision)
        {
            var reserved = new HashSet<string>(TaskVerbCommands.Reserved, StringComparer.Ordinal);
            reserved.UnionWith(serve.Names);
            options = new TaskVerbOptions(command, TaskShape.Of(task), VerbScope.Test, registry, policies, reserved);
        }

        runner.Bind(command, (parse, session) =>
        {
            var id = parse.GetRequiredValue(taskOption);
            var chosen = session.Registry.GetTask(id);
            if (options is null)
            {
                throw new ArgumentException(chosen.Info.Kind == TaskKind.Prediction
                    ? $"task '{id}' is a prediction task; only decision tasks are served"
                    : $"task '{id}' was not found before parsing; pass --task {id} as a separate argument");
            }

            var serveOptions = (ServeOptions)OptionSchema.Of<ServeOptions>().Apply(new ServeOptions(), serve.Given(parse));
            var request = options.Request(parse, session, TaskVerb.Test, parse.GetValue(setting), [parse.GetRequiredValue(policy)], null);
            return Run(request, serveOptions, session.Cancellation);
        }, stopsOnSignal: true);
        return command;
    }

    private static string ServableTasks(NetLlm.Abstractions.Plugins.IPluginRegistry registry)
    {
        var ids = registry.Tasks.Where(ServingEngine.CanServe).Select(t => t.Info.Id).Order(StringComparer.Ordinal).ToList();
        return ids.Count > 0 ? string.Join(", ", ids) : "(no loaded task plugin has a request protocol)";
    }

    private static int Run(VerbRequest request, ServeOptions options, CancellationToken stop)
    {
        using var server = ServingEngine.Create(request, options.MaxSessions, options.IdleTimeout);
        var host = ServeHost.StartAsync(server, options.Port, stop).GetAwaiter().GetResult();
        try
        {
            Console.Out.WriteLine($"listening on {host.Url.GetLeftPart(UriPartial.Authority)}");
            Console.Out.Flush();
            Console.Error.WriteLine($"serving {server.TaskId} with {server.Policy} (setting {server.Setting}, seed {request.Seed}, at most {server.MaxSessions} sessions, {(server.IdleTimeout is { } idle ? $"closed after {idle.TotalSeconds:0} s idle" : "never closed for being idle")}); Ctrl+C or SIGTERM stops");
            stop.WaitHandle.WaitOne();
            host.StopAsync().GetAwaiter().GetResult();
        }
        finally
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        var metrics = server.Metrics();
        server.Dispose();
        Console.Error.WriteLine(System.FormattableString.Invariant($"stopped: {metrics.SessionsTotal} sessions ({metrics.SessionsOpen} still open were closed), {metrics.Decisions} decisions, p50 {metrics.Latency.P50:0.###} ms, p99 {metrics.Latency.P99:0.###} ms; {metrics.SessionsExpired} closed for being idle"));
        return ExitCodes.Success;
    }
}
