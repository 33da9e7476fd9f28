using System.Globalization;
using System.Text.Json;

namespace NetLlm.Cli.Sweeps;

/// <summary>
/// A sweep file: the task, the fixed <c>adapt</c> options, the axes (each an <c>adapt</c> option with the values to
/// try; the grid is their product, in file order) and, optionally, the options of a <c>test</c> of every adapted run.
/// Option names are the command line's without the leading dashes; values are JSON strings, numbers or booleans, or
/// arrays of them for options given more than once.
/// </summary>
/// <param name="Path">Full path of the file (named in errors).</param>
/// <param name="Task">Task id.</param>
/// <param name="Adapt">Options every <c>adapt</c> run gets.</param>
/// <param name="Axes">The axes, in file order.</param>
/// <param name="Test">Options of the <c>test</c> of every run, or null when the sweep only adapts.</param>
public sealed record SweepFile(string Path, string Task, IReadOnlyList<SweepOption> Adapt, IReadOnlyList<SweepAxis> Axes, IReadOnlyList<SweepOption>? Test)
{
    /// <summary>Keys a sweep file may have at its top level.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["task", "adapt", "axes", "test"];

    /// <summary>Reads and checks the structure of a sweep file (option names are checked against the task later).</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="SweepFileException">The file is missing, not JSON, or a key or value is wrong.</exception>
    public static SweepFile Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new SweepFileException(full, null, "the file does not exist");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(full), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SweepFileException(full, null, "not valid JSON: " + e.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SweepFileException(full, null, "the file must hold a JSON object with keys " + string.Join(", ", Keys));
            }

            foreach (var property in root.EnumerateObject().Where(p => !Keys.Contains(p.Name)))
            {
                throw new SweepFileException(full, property.Name, "unknown key (expected " + string.Join(", ", Keys) + ")");
            }

            var task = root.TryGetProperty("task", out var t) && t.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(t.GetString())
                ? t.GetString()!
                : throw new SweepFileException(full, "task", "a task id (string) is required");
            var adapt = root.TryGetProperty("adapt", out var a) ? ReadOptions(full, "adapt", a) : [];
            var axes = root.TryGetProperty("axes", out var x) ? ReadAxes(full, x) : [];
            if (axes.Count == 0)
            {
                throw new SweepFileException(full, "axes", "at least one axis is required, e.g. \"axes\": { \"rank\": [4, 8] }");
            }

            var duplicate = axes.FirstOrDefault(axis => adapt.Any(o => o.Name == axis.Name));
            if (duplicate is not null)
            {
                throw new SweepFileException(full, "axes." + duplicate.Name, "the option is also fixed in \"adapt\"; give it in one place");
            }

            var test = root.TryGetProperty("test", out var s) ? (s.ValueKind == JsonValueKind.True ? [] : s.ValueKind == JsonValueKind.False ? null : ReadOptions(full, "test", s)) : null;
            return new SweepFile(full, task, adapt, axes, test);
        }
    }

    private static List<SweepOption> ReadOptions(string file, string key, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SweepFileException(file, key, "must be an object of options, e.g. { \"epochs\": 2 }");
        }

        return [.. element.EnumerateObject().Select(p => new SweepOption(Name(file, key, p.Name), p.Value.ValueKind == JsonValueKind.Array
            ? [.. p.Value.EnumerateArray().Select(v => Scalar(file, key + "." + p.Name, v))]
            : [Scalar(file, key + "." + p.Name, p.Value)]))];
    }

    private static List<SweepAxis> ReadAxes(string file, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SweepFileException(file, "axes", "must be an object of options with lists of values, e.g. { \"rank\": [4, 8] }");
        }

        var axes = new List<SweepAxis>();
        foreach (var p in element.EnumerateObject())
        {
            var key = "axes." + p.Name;
            if (p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() == 0)
            {
                throw new SweepFileException(file, key, "must be a non-empty list of values");
            }

            var values = p.Value.EnumerateArray().Select(v => Scalar(file, key, v)).ToList();
            var repeated = values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (repeated is not null)
            {
                throw new SweepFileException(file, key, $"value '{repeated.Key}' is listed twice");
            }

            axes.Add(new SweepAxis(Name(file, "axes", p.Name), values));
        }

        return axes;
    }

    private static string Name(string file, string key, string name)
    {
        if (name.Length == 0 || name.StartsWith('-') || name.Any(char.IsWhiteSpace))
        {
            throw new SweepFileException(file, key + "." + name, "an option name without leading dashes is expected, e.g. \"batch-size\"");
        }

        return name;
    }

    private static string Scalar(string file, string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new SweepFileException(file, key, string.Create(CultureInfo.InvariantCulture, $"values must be strings, numbers or booleans, got {value.ValueKind.ToString().ToLowerInvariant()}")),
    };
}

/// <summary>An option of a sweep: its command-line name (no dashes) and its values (one, or several for a repeated option).</summary>
/// <param name="Name">Option name.</param>
/// <param name="Values">Values, in order.</param>
public sealed record SweepOption(string Name, IReadOnlyList<string> Values);

/// <summary>An axis of a sweep: an option and the values it takes, one per grid point.</summary>
/// <param name="Name">Option name.</param>
/// <param name="Values">Values, in order.</param>
public sealed record SweepAxis(string Name, IReadOnlyList<string> Values);

/// <summary>A sweep file that cannot be used: names the file and the key.</summary>
public sealed class SweepFileException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The sweep file.</param>
    /// <param name="key">The key (dotted path), or null for the whole file.</param>
    /// <param name="problem">What is wrong.</param>
    public SweepFileException(string file, string? key, string problem)
        : base(key is null ? $"sweep file {file}: {problem}" : $"sweep file {file}: {key}: {problem}")
    {
        File = file;
        Key = key;
    }

    /// <summary>The sweep file.</summary>
    public string File { get; }

    /// <summary>The key, or null.</summary>
    public string? Key { get; }
}
