using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetLlm.Abstractions.Tasks;
using NetLlm.Cluster;
using NetLlm.Core.IO;
using NetLlm.Hosting.Plugins;
using NetLlm.Reporting.Evaluation;
using NetLlm.Reporting.Results;

namespace NetLlm.Cli.Cluster;

/// <summary>
/// <c>netllm eval --cluster FILE</c>: every evaluation case (policy, setting, seed) becomes a work item — the
/// <c>netllm test</c> command line of that case with the eval's task options — run by the cluster's silos; each
/// item's result is the JSON <c>netllm test --json</c> writes, turned back into the run the local evaluation would
/// have produced, so the report is the same number for number. Writes <c>cluster.csv</c> (per-item status,
/// attempts, worker, seconds, error) into the report folder.
/// </summary>
public static class ClusterEvaluation
{
    /// <summary>Options of <c>eval</c> that are not passed to the items (the grid and the report are the submitter's).</summary>
    private static readonly HashSet<string> NotForwarded = new(StringComparer.Ordinal)
    {
        "--task", "--policies", "--settings", "--seeds", "--seed", "--report", "--parallel", "--no-plots", "--json", "--cluster", "--progress", "--plugins-dir", "--threads",
    };

    /// <summary>The options given to <c>eval</c> that every item's command line repeats (task options, data root, configuration).</summary>
    /// <param name="parse">The eval command's parse result.</param>
    public static IReadOnlyList<string> Forwarded(ParseResult parse) => ClusterGrid.Forwarded(parse, NotForwarded);

    /// <summary>The work item of a case.</summary>
    /// <param name="task">Task id.</param>
    /// <param name="index">Index of the case in the grid.</param>
    /// <param name="c">The case.</param>
    /// <param name="forwarded">The eval's options for every item.</param>
    public static WorkItem Item(string task, int index, EvaluationCase c, IReadOnlyList<string> forwarded)
    {
        ArgumentNullException.ThrowIfNull(c);
        var name = $"{index:D4}_{Path.GetFileName(c.Policy.TrimEnd('/'))}_{c.Setting}_{c.Seed}";
        return new WorkItem
        {
            Id = new string([.. name.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '-')]),
            Arguments = ["test", "--task", task, "--policy", c.Policy, "--setting", c.Setting, "--seed", c.Seed.ToString(CultureInfo.InvariantCulture), "--progress", "none", .. forwarded],
        };
    }

    /// <summary>Runs the cases on the cluster; returns the runs in case order.</summary>
    /// <param name="config">The cluster configuration.</param>
    /// <param name="plugins">Loaded plugins (for an in-process silo).</param>
    /// <param name="loggers">Logger factory (for an in-process silo's commands).</param>
    /// <param name="task">The task.</param>
    /// <param name="cases">The cases.</param>
    /// <param name="forwarded">The eval's options for every item.</param>
    /// <param name="report">The report folder (gets <c>cluster.csv</c>).</param>
    /// <param name="cancellation">Stops following the grid.</param>
    /// <exception cref="InvalidOperationException">Some items failed (listed with their errors; cluster.csv is written).</exception>
    public static IReadOnlyList<EvaluationRun> Run(ClusterConfig config, PluginHost plugins, ILoggerFactory loggers, TaskInfo task, IReadOnlyList<EvaluationCase> cases, IReadOnlyList<string> forwarded, string report, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(cases);
        var items = cases.Select((c, i) => Item(task.Id, i, c, forwarded)).ToList();
        var grid = GridClient.GridId("eval-" + task.Id, items);
        var states = ClusterGrid.Run(config, plugins, loggers, grid, items, cancellation);
        var csv = Path.Combine(report, "cluster.csv");
        ClusterGrid.WriteCsv(csv, states);
        ClusterGrid.ThrowIfFailed(states, config, csv);

        return [.. cases.Select((c, i) => ToRun(c, states[i].Result!.Json!))];
    }

    /// <summary>The evaluation run of a case from the JSON of its <c>netllm test</c>.</summary>
    /// <param name="c">The case.</param>
    /// <param name="json">What <c>netllm test --json</c> wrote.</param>
    public static EvaluationRun ToRun(EvaluationCase c, string json)
    {
        ArgumentNullException.ThrowIfNull(c);
        var run = JsonNode.Parse(json)?["results"]?[0] ?? throw new InvalidDataException($"the result of {c.Policy} on {c.Setting} (seed {c.Seed}) holds no run");
        var components = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in run["components"]?.AsObject() ?? [])
        {
            components[name] = value!.GetValue<double>();
        }

        return new EvaluationRun(
            c.Policy,
            c.Setting,
            c.Seed,
            run["metric"]!.GetValue<double>(),
            [.. (run["items"]?.AsArray() ?? []).Select(i => i!["value"]!.GetValue<double>())],
            components,
            [.. (run["notes"]?.AsArray() ?? []).Select(n => n!.GetValue<string>())]);
    }
}
