namespace NetLlm.Cli.Sweeps;

/// <summary>
/// The <c>netllm adapt</c> and <c>netllm test</c> command lines of a sweep's items, and where each item's files go
/// under the output folder: <c>runs/ID/</c> (the run directory), <c>results/ID.adapt.json</c> and
/// <c>results/ID.test.json</c> (what the verbs write with <c>--json</c>).
/// </summary>
/// <param name="File">The sweep file.</param>
/// <param name="Output">The sweep's output folder (full path).</param>
/// <param name="Common">Common options given to <c>netllm sweep</c> (data root, threads, configuration, progress), passed to every item.</param>
public sealed record SweepCommandLines(SweepFile File, string Output, IReadOnlyList<SweepOption> Common)
{
    /// <summary>Options the sweep sets itself; a sweep file may not give them.</summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(StringComparer.Ordinal) { "task", "out", "resume", "json", "policy", "policies", "help" };

    /// <summary>The run directory of an item.</summary>
    /// <param name="item">The item.</param>
    public string RunDirectory(SweepItem item) => Path.Combine(Output, "runs", item.Id);

    /// <summary>The JSON result of an item's verb (<c>adapt</c> or <c>test</c>).</summary>
    /// <param name="item">The item.</param>
    /// <param name="verb">The verb.</param>
    public string Result(SweepItem item, string verb) => Path.Combine(Output, "results", item.Id + "." + verb + ".json");

    /// <summary>The item's <c>adapt</c> command line; with <paramref name="resume"/>, continuing its checkpoint.</summary>
    /// <param name="item">The item.</param>
    /// <param name="resume">Continue the run directory's checkpoint.</param>
    public string[] Adapt(SweepItem item, bool resume) =>
        [.. Verb("adapt", item.Adapt), "--out", RunDirectory(item), "--json", Result(item, "adapt"), .. resume ? ["--resume"] : Array.Empty<string>()];

    /// <summary>The item's <c>test</c> command line (its run directory as the policy), or null when the sweep does not test.</summary>
    /// <param name="item">The item.</param>
    public string[]? Test(SweepItem item) =>
        File.Test is { } test ? [.. Verb("test", test), "--policy", RunDirectory(item), "--json", Result(item, "test")] : null;

    /// <summary>A command line without its <c>--json FILE</c> (a cluster worker writes the result itself).</summary>
    /// <param name="line">The command line.</param>
    public static string[] WithoutJson(string[] line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var at = Array.IndexOf(line, "--json");
        return at < 0 ? line : [.. line[..at], .. line[(at + 2)..]];
    }

    private List<string> Verb(string verb, IReadOnlyList<SweepOption> options)
    {
        var line = new List<string> { verb, "--task", File.Task };
        foreach (var option in options.Concat(Common.Where(c => options.All(o => o.Name != c.Name))))
        {
            foreach (var value in option.Values)
            {
                line.Add("--" + option.Name);
                line.Add(value);
            }
        }

        return line;
    }
}
