using System.CommandLine;
using System.Text.Json.Nodes;
using NetLlm.Cli.Infrastructure;
using NetLlm.Hosting.Packaging;

namespace NetLlm.Cli.Commands;

/// <summary>
/// <c>netllm plugins install &lt;package-or-folder&gt; [--force]</c> and <c>netllm plugins remove &lt;id&gt;</c>: add a
/// plugin (a .nupkg written by <c>dotnet pack</c>, or a build output folder) to the effective plugins directory — the
/// first <c>--plugins-dir</c>, else <c>NETLLM_PLUGINS</c>'s first folder, else the configured or default one — and
/// take it out again. Validation happens before anything is copied (see <see cref="PluginInstaller"/>).
/// </summary>
public static class PluginsInstallCommands
{
    /// <summary>Creates <c>install</c>.</summary>
    /// <param name="runner">Command runner.</param>
    public static Command CreateInstall(CommandRunner runner)
    {
        var source = new Argument<string>("package-or-folder") { Description = "A plugin .nupkg (from `dotnet pack`) or a folder holding the plugin assembly (its build output)" };
        var force = new Option<bool>("--force") { Description = "Replace an installed plugin with the same id or folder name" };
        var json = JsonOption.Create();
        var command = new Command("install", "Install a plugin package or folder into the plugins directory (manifest and contract version checked first)") { source, force, json };
        runner.Bind(command, (parse, session) =>
        {
            var root = session.Host.Roots[0];
            var elsewhere = session.Host.Plugins
                .Where(p => p.Manifest is not null && !IsInside(p.AssemblyPath, root))
                .Select(p => p.Manifest!.Id);
            var result = PluginInstaller.Install(parse.GetRequiredValue(source), root, parse.GetValue(force), elsewhere);
            JsonOption.Write(parse, json, new JsonObject
            {
                ["action"] = "install",
                ["id"] = result.Manifest.Id,
                ["kind"] = result.Manifest.KindName,
                ["version"] = result.Manifest.Version,
                ["contract_version"] = result.Manifest.ContractVersion,
                ["folder"] = result.Folder,
                ["files"] = result.Files,
                ["replaced"] = new JsonArray(result.Replaced.Select(r => (JsonNode?)r).ToArray()),
                ["warnings"] = new JsonArray(result.Warnings.Select(w => (JsonNode?)w).ToArray()),
            });
            var text = JsonOption.ToStdout(parse, json) ? Console.Error : Console.Out;
            text.WriteLine($"Installed {result.Manifest.KindName} plugin '{result.Manifest.Id}' {result.Manifest.Version} (contract {result.Manifest.ContractVersion}) into {result.Folder} ({result.Files} files)");
            foreach (var replaced in result.Replaced)
            {
                text.WriteLine($"replaced {replaced}");
            }

            foreach (var warning in result.Warnings)
            {
                Console.Error.WriteLine("warning: " + warning);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Creates <c>remove</c>.</summary>
    /// <param name="runner">Command runner.</param>
    public static Command CreateRemove(CommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "Id of the installed plugin (as listed by `netllm plugins`)" };
        var json = JsonOption.Create();
        var command = new Command("remove", "Remove an installed plugin from the plugins directory by its id") { id, json };
        runner.Bind(command, (parse, session) =>
        {
            var result = PluginInstaller.Remove(parse.GetRequiredValue(id), session.Host.Roots[0]);
            JsonOption.Write(parse, json, new JsonObject
            {
                ["action"] = "remove",
                ["id"] = result.Manifest.Id,
                ["version"] = result.Manifest.Version,
                ["folder"] = result.Folder,
                ["warnings"] = new JsonArray(result.Warnings.Select(w => (JsonNode?)w).ToArray()),
            });
            var text = JsonOption.ToStdout(parse, json) ? Console.Error : Console.Out;
            text.WriteLine($"Removed plugin '{result.Manifest.Id}' {result.Manifest.Version} ({result.Folder})");
            foreach (var warning in result.Warnings)
            {
                Console.Error.WriteLine("warning: " + warning);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static bool IsInside(string path, string root) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
