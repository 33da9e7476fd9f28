using System.Text.RegularExpressions;
using NetLlm.Hosting.Plugins;
using NetLlm.Testing;

namespace NetLlm.Hosting.Tests;

/// <summary>
/// The host's contracts and engine know no task: no task id, backbone family or preset name, policy id and no
/// command-line option name (a <c>--flag</c> literal) appears in the code of NetLlm.Abstractions or NetLlm.Core
/// (comments aside). NetLlm.Hosting (plugin loading, packaging, configuration, data check and fetch) may name the
/// CLI's own options in its messages, but no task, policy or backbone either. The forbidden names come from the plugins
/// that ship with the repository.
/// </summary>
public sealed partial class HostKnowsNoTaskTests
{
    private static readonly string BundledRoot = Path.Combine(AppContext.BaseDirectory, "plugins");

    public static TheoryData<string, bool> Projects() => new() { { "core/NetLlm.Abstractions", false }, { "core/NetLlm.Core", false }, { "core/NetLlm.Hosting", true } };

    [Theory]
    [MemberData(nameof(Projects))]
    public void CodeNamesNoTaskBackboneOrOption(string project, bool mayNameCliOptions)
    {
        var root = TestPaths.RepoRoot ?? throw new InvalidOperationException("run from a checkout");
        using var host = PluginHost.Load([BundledRoot]);
        var registry = host.Registry;
        Assert.NotEmpty(registry.Tasks);
        var names = registry.Tasks.Select(t => t.Info.Id)
            .Concat(registry.Policies.Select(p => p.Id))
            .Concat(registry.Backbones.Select(b => b.Family))
            .Concat(registry.Backbones.SelectMany(b => b.Presets.Keys))
            .Concat(registry.Backbones.SelectMany(b => b.ModelTypes))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var problems = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, project), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            var code = StripComments(File.ReadAllText(file));
            var relative = Path.GetRelativePath(root, file);
            foreach (Match flag in mayNameCliOptions ? Enumerable.Empty<Match>() : Flag().Matches(code))
            {
                problems.Add($"{relative}: command-line option '{flag.Value.Trim('"')}'");
            }

            foreach (var name in names)
            {
                if (Regex.IsMatch(code, $@"(?<![\w.-]){Regex.Escape(name)}(?![\w-])", RegexOptions.IgnoreCase))
                {
                    problems.Add($"{relative}: '{name}'");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Code without // and /* */ comments (string literals kept as they are).</summary>
    private static string StripComments(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"' || (text[i] == '@' && i + 1 < text.Length && text[i + 1] == '"') || (text[i] == '$' && i + 1 < text.Length && text[i + 1] is '"' or '@'))
            {
                var start = i;
                var verbatim = text[i] == '@' || (i + 1 < text.Length && text[i + 1] == '@');
                while (text[i] != '"')
                {
                    i++;
                }

                i++;
                while (i < text.Length && (text[i] != '"' || (!verbatim && text[i - 1] == '\\' && text[i - 2] != '\\')))
                {
                    i++;
                }

                i++;
                sb.Append(text, start, Math.Min(i, text.Length) - start);
            }
            else if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
            }
            else
            {
                sb.Append(text[i]);
                i++;
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"""[^""\n]*?(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex Flag();
}
