using System.CommandLine;
using System.Text.Json.Nodes;
using NetLlm.Cli.Infrastructure;
using NetLlm.Hosting.Plugins;
using Spectre.Console;

namespace NetLlm.Cli.Commands;

/// <summary><c>netllm plugins [--json]</c>: every plugin folder found, loaded or failed, with the reason.</summary>
public static class PluginsCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="runner">Command runner.</param>
    public static Command Create(CommandRunner runner)
    {
        var json = JsonOption.Create();
        var command = new Command("plugins", "List the plugins found, their status and what they contribute") { json };
        command.Subcommands.Add(PluginsInstallCommands.CreateInstall(runner));
        command.Subcommands.Add(PluginsInstallCommands.CreateRemove(runner));
        runner.Bind(command, (parse, session) =>
        {
            if (JsonOption.Requested(parse, json))
            {
                JsonOption.Write(parse, json, ToJson(session.Host));
            }

            if (!JsonOption.ToStdout(parse, json))
            {
                PrintTable(session.Host);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The JSON array printed by <c>netllm plugins --json</c>.</summary>
    /// <param name="host">Loaded plugins.</param>
    public static JsonArray ToJson(PluginHost host)
    {
        var array = new JsonArray();
        foreach (var p in host.Plugins)
        {
            array.Add(new JsonObject
            {
                ["id"] = p.Manifest?.Id,
                ["kind"] = p.Manifest?.KindName,
                ["version"] = p.Manifest?.Version,
                ["assembly"] = p.AssemblyPath,
                ["status"] = p.Status == PluginStatus.Loaded ? "loaded" : "failed",
                ["error"] = p.Error,
                ["contract_version"] = p.Manifest?.ContractVersion,
                ["depends_on"] = new JsonArray((p.Manifest?.DependsOn ?? []).Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["components"] = new JsonArray(p.Components.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
            });
        }

        return array;
    }

    private static void PrintTable(PluginHost host)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        console.MarkupLine($"Plugin roots: {Markup.Escape(string.Join(", ", host.Roots))}");
        if (host.Plugins.Count == 0)
        {
            console.MarkupLine("[yellow]No plugins found.[/]");
            return;
        }

        var table = new Table().AddColumns("id", "kind", "version", "status", "components", "folder");
        foreach (var p in host.Plugins)
        {
            var status = p.Status == PluginStatus.Loaded ? "[green]loaded[/]" : "[red]failed[/]";
            table.AddRow(Markup.Escape(Name(p)), p.Manifest?.KindName ?? "-", Markup.Escape(p.Manifest?.Version ?? "-"), status, Markup.Escape(string.Join(", ", p.Components)), Markup.Escape(Path.GetDirectoryName(p.AssemblyPath) ?? "?"));
        }

        console.Write(table);
        foreach (var p in host.Plugins.Where(p => p.Status == PluginStatus.Failed))
        {
            console.MarkupLine($"[red]{Markup.Escape(Name(p))}[/]: {Markup.Escape(p.Error ?? string.Empty)}");
        }
    }

    private static string Name(PluginRecord p) => p.Manifest?.Id ?? Path.GetFileName(Path.GetDirectoryName(p.AssemblyPath) ?? "?");


}
