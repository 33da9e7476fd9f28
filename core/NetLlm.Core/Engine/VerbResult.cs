using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Core.Engine;

/// <summary>
/// What a verb produced, in one shape for every verb, task and number of policies: the task, verb, setting and seed,
/// the metric's description, the resolved options, one entry per policy run, the files written and the wall time.
/// <see cref="ToJson"/> is what <c>--json</c> writes (documented in the README, "JSON results").
/// </summary>
public sealed record VerbResult
{
    /// <summary>Version of the JSON shape.</summary>
    public const int FormatVersion = 1;

    /// <summary>The verb.</summary>
    public required TaskVerb Verb { get; init; }

    /// <summary>The command's name when it is not the verb's (for example <c>eval</c>, a grid of tests).</summary>
    public string? Name { get; init; }

    /// <summary>The task.</summary>
    public required TaskInfo Task { get; init; }

    /// <summary>Setting name (or <c>custom</c>).</summary>
    public required string Setting { get; init; }

    /// <summary>Seed of the run.</summary>
    public required int Seed { get; init; }

    /// <summary>The task's options as resolved (JSON of its options record).</summary>
    public JsonObject? Options { get; init; }

    /// <summary>One entry per policy (test, collect) or per trained run (adapt).</summary>
    public required IReadOnlyList<PolicyRun> Runs { get; init; }

    /// <summary>Files and folders written, by role (<c>pool</c>, <c>run_dir</c>, <c>results</c>).</summary>
    public IReadOnlyDictionary<string, string> Artifacts { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra lines for the terminal.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Wall time in seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>The JSON document.</summary>
    public JsonObject ToJson()
    {
        var metric = Task.Metric;
        return new JsonObject
        {
            ["format"] = "netllm-result",
            ["version"] = FormatVersion,
            ["verb"] = Name ?? Verb.ToString().ToLowerInvariant(),
            ["task"] = Task.Id,
            ["setting"] = Setting,
            ["seed"] = Seed,
            ["metric"] = new JsonObject
            {
                ["name"] = metric.Name,
                ["label"] = metric.DisplayLabel,
                ["unit"] = metric.Unit,
                ["higher_is_better"] = metric.HigherIsBetter,
                ["item"] = metric.ItemLabel,
            },
            ["options"] = Options?.DeepClone(),
            ["results"] = new JsonArray(Runs.Select(r => (JsonNode?)RunJson(r)).ToArray()),
            ["artifacts"] = new JsonObject(Artifacts.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["seconds"] = Seconds,
        };
    }

    /// <summary>Lines for the terminal: one per run with the metric and its components, then the notes.</summary>
    public IReadOnlyList<string> Summary()
    {
        var lines = new List<string>();
        var metric = Task.Metric;
        foreach (var run in Runs)
        {
            if (run.Score is { } score)
            {
                var parts = metric.Components.Where(c => score.Components.ContainsKey(c.Name))
                    .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Label} {score.Components[c.Name]:0.####}"));
                var tail = string.Join(", ", parts);
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{Task.Id} {run.Setting}: {run.Policy} {metric.DisplayLabel} {score.Metric:0.#####}{(metric.Unit.Length > 0 ? " " + metric.Unit : string.Empty)}"
                    + $" over {score.Items.Count} {metric.ItemLabel}{(score.Items.Count == 1 ? string.Empty : "s")}{(tail.Length > 0 ? $" ({tail})" : string.Empty)}, seed {run.Seed}"));
                lines.AddRange(score.Notes);
            }
        }

        lines.AddRange(Notes);
        return lines;
    }

    private static JsonObject RunJson(PolicyRun run) => new()
    {
        ["policy"] = run.Policy,
        ["setting"] = run.Setting,
        ["seed"] = run.Seed,
        ["metric"] = run.Score?.Metric,
        ["components"] = run.Score is null ? null : new JsonObject(run.Score.Components.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        ["items"] = run.Score is null ? null : new JsonArray(run.Score.Items.Select(i => (JsonNode?)new JsonObject { ["name"] = i.Name, ["value"] = i.Value }).ToArray()),
        ["details"] = run.Score?.Details?.DeepClone(),
        ["notes"] = run.Score is null ? null : new JsonArray(run.Score.Notes.Select(n => (JsonNode?)n).ToArray()),
        ["run"] = run.Details?.DeepClone(),
        ["seconds"] = run.Seconds,
    };
}
