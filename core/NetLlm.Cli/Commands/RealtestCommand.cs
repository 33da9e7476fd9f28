using System.CommandLine;
using NetLlm.Abstractions.Testbeds;
using NetLlm.Cli.Infrastructure;
using NetLlm.Core.Options;

namespace NetLlm.Cli.Commands;

/// <summary>
/// <c>netllm realtest --task X [testbed options]</c>: runs the testbed plugin of task X (a real player, a real
/// network) and lets it write its report. The options are the testbed's typed options record; the host knows no
/// testbed and no task.
/// </summary>
public static class RealtestCommand
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "task", "json", "data-root", "seed", "threads", "config", "plugins-dir", "progress", "help",
    };

    /// <summary>Creates the command.</summary>
    /// <param name="runner">Command runner.</param>
    /// <param name="testbeds">The loaded testbeds.</param>
    /// <param name="taskId">The task named on the command line, or null (then every testbed's options are offered).</param>
    public static Command Create(CommandRunner runner, IReadOnlyList<ITestbed> testbeds, string? taskId)
    {
        var task = new Option<string>("--task") { Description = "Task whose testbed to run: " + (testbeds.Count == 0 ? "(no testbed plugin loaded)" : string.Join(", ", testbeds.Select(t => t.TaskId + " (" + t.Id + ")"))), Required = true };
        var command = new Command("realtest", "Run a task's policies in its real-world testbed (e.g. a real video player over a trace-shaped link)") { task };
        var offered = testbeds.Where(t => taskId is null || t.TaskId == taskId).ToList();
        var options = new TypedOptionSet(command, offered.SelectMany(t => OptionSchema.Of(t.OptionsType).Fields.Select(f => (f, t.Id))), Reserved);
        runner.Bind(command, (parse, session) =>
        {
            var id = parse.GetValue(task)!;
            var testbed = session.Host.Testbeds.FirstOrDefault(t => t.TaskId == id)
                ?? throw new ArgumentException($"no testbed for task '{id}'; loaded testbeds: {(session.Host.Testbeds.Count == 0 ? "none" : string.Join(", ", session.Host.Testbeds.Select(t => t.TaskId + " (" + t.Id + ")")))}");
            var schema = OptionSchema.Of(testbed.OptionsType);
            var values = schema.Apply(schema.CreateDefault(), options.Given(parse));
            var context = new TestbedContext(session.Registry, session.OptionalDataRoot, session.Seed, session.Options.Threads, Console.Out, session.Cancellation);
            return testbed.RunAsync(context, values).GetAwaiter().GetResult();
        }, stopsOnSignal: true);
        return command;
    }
}
