using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetLlm.Core.IO;

namespace NetLlm.Cli.Infrastructure;

/// <summary>
/// The <c>--json [FILE]</c> option: without a value the JSON goes to standard output (and human-readable text to
/// standard error); with a value it is written to the file atomically.
/// </summary>
public static class JsonOption
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Creates the option.</summary>
    public static Option<string?> Create() => new("--json")
    {
        Description = "Write results as JSON: to FILE, or to standard output when no file is given",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>True when the option was given (with or without a file).</summary>
    /// <param name="parse">Parse result.</param>
    /// <param name="option">The option.</param>
    public static bool Requested(ParseResult parse, Option<string?> option) => parse.GetResult(option) is not null;

    /// <summary>True when JSON goes to standard output.</summary>
    /// <param name="parse">Parse result.</param>
    /// <param name="option">The option.</param>
    public static bool ToStdout(ParseResult parse, Option<string?> option) =>
        Requested(parse, option) && string.IsNullOrEmpty(parse.GetValue(option));

    /// <summary>Writes <paramref name="json"/> where the option says; does nothing when not requested.</summary>
    /// <param name="parse">Parse result.</param>
    /// <param name="option">The option.</param>
    /// <param name="json">The document.</param>
    public static void Write(ParseResult parse, Option<string?> option, JsonNode json)
    {
        if (!Requested(parse, option))
        {
            return;
        }

        var text = json.ToJsonString(Indented);
        var file = parse.GetValue(option);
        if (string.IsNullOrEmpty(file))
        {
            Console.Out.WriteLine(text);
        }
        else
        {
            AtomicFile.WriteAllText(file, text + "\n");
        }
    }
}
