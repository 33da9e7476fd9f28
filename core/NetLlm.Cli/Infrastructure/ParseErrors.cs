using System.CommandLine;
using NetLlm.Abstractions.Plugins;

namespace NetLlm.Cli.Infrastructure;

/// <summary>
/// Reports command-line errors (exit code 2): an option the task does not take is named with the options it does
/// take; other errors as System.CommandLine words them, with the help hint.
/// </summary>
public static class ParseErrors
{
    /// <summary>Prints the errors of <paramref name="parse"/> and returns <see cref="ExitCodes.Usage"/>.</summary>
    /// <param name="parse">A parse result with errors.</param>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="taskId">The task named by <c>--task</c>, or null.</param>
    public static int Report(ParseResult parse, IPluginRegistry registry, string? taskId)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult.Command;
        var known = command.Options.Where(o => !o.Hidden).Select(o => o.Name.TrimStart('-')).Order(StringComparer.Ordinal).ToList();
        foreach (var token in parse.UnmatchedTokens)
        {
            if (token.StartsWith("--", StringComparison.Ordinal))
            {
                var who = taskId is not null && registry.Tasks.Any(t => t.Info.Id == taskId)
                    ? $"task '{taskId}' does not take {token} with `{command.Name}`"
                    : $"`{command.Name}` does not take {token}";
                Console.Error.WriteLine($"error: {who}; its options: {string.Join(", ", known.Select(k => "--" + k))}");
            }
            else
            {
                Console.Error.WriteLine($"error: unexpected argument '{token}' for `{command.Name}`");
            }
        }

        foreach (var error in parse.Errors.Where(e => !parse.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal))))
        {
            Console.Error.WriteLine("error: " + Readable(error.Message));
        }

        Console.Error.WriteLine($"(see `netllm {Path(parse)} --help`)");
        return ExitCodes.Usage;
    }

    /// <summary>System.CommandLine names the CLR type a value failed to parse as; say what the option expects.</summary>
    private static string Readable(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @" as expected type '([^']+)'\.?", m => ": expected " + Expected(m.Groups[1].Value));

    private static string Expected(string type) => type switch
    {
        _ when type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) => "an integer",
        _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) => "a number",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ => "a value of type " + type[(type.LastIndexOf('.') + 1)..].TrimEnd(']'),
    };

    private static string Path(ParseResult parse)
    {
        var names = new List<string>();
        for (var c = parse.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (c.Command is not RootCommand)
            {
                names.Insert(0, c.Command.Name);
            }
        }

        return string.Join(' ', names);
    }
}
