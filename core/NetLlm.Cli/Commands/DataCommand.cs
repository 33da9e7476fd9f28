using System.CommandLine;
using System.Text.Json.Nodes;
using NetLlm.Cli.Infrastructure;
using NetLlm.Hosting.Data;
using Spectre.Console;

namespace NetLlm.Cli.Commands;

/// <summary><c>netllm data check [--json]</c>: what the loaded tasks need under the data root, and what is missing.</summary>
public static class DataCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="runner">Command runner.</param>
    public static Command Create(CommandRunner runner)
    {
        var data = new Command("data", "Inspect and fetch the data root");
        var json = JsonOption.Create();
        var check = new Command("check", "Validate the data root: every file each task needs, its size and checksum where known, and its format") { json };
        runner.Bind(check, (parse, session) =>
        {
            var root = session.RequireDataRoot();
            var tasks = session.Registry.Tasks.Select(t => (t.Info.Id, t.Info.Data)).ToList();
            if (tasks.Count == 0)
            {
                throw new InvalidOperationException("no task plugin is loaded, so there is nothing to check (see `netllm plugins`)");
            }

            var items = DataCheck.Run(root, tasks);
            var bad = items.Count(i => i.Required && i.Status != "ok");
            JsonOption.Write(parse, json, new JsonObject
            {
                ["data_root"] = root,
                ["ok"] = bad == 0,
                ["items"] = new JsonArray(items.Select(i => (JsonNode)new JsonObject
                {
                    ["task"] = i.Task,
                    ["path"] = i.Path,
                    ["status"] = i.Status,
                    ["found"] = i.Found,
                    ["expected"] = i.Expected,
                    ["required"] = i.Required,
                    ["detail"] = i.Detail,
                    ["bad_files"] = i.Bad,
                }).ToArray()),
            });
            if (!JsonOption.ToStdout(parse, json))
            {
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
                var table = new Table().AddColumns("task", "path", "status", "found", "detail");
                foreach (var i in items)
                {
                    var color = i.Status == "ok" ? "green" : i.Required ? "red" : "yellow";
                    table.AddRow(i.Task, Markup.Escape(Path.GetRelativePath(root, i.Path)), $"[{color}]{i.Status}{(i.Required ? string.Empty : " (optional)")}[/]", $"{i.Found}/{i.Expected}", Markup.Escape(i.Detail ?? string.Empty));
                }

                console.Write(table);
                console.MarkupLine(bad == 0 ? "[green]Data root is complete.[/]" : $"[red]{bad} required item(s) missing or invalid.[/]");
            }

            return bad == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        data.Subcommands.Add(check);
        data.Subcommands.Add(DataFetchCommand.Create(runner));
        return data;
    }
}
