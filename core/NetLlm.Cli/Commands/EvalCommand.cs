using System.CommandLine;
using System.Globalization;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Tasks;
using Microsoft.Extensions.Logging;
using NetLlm.Cli.Cluster;
using NetLlm.Cli.Infrastructure;
using NetLlm.Cluster;
using NetLlm.Core.Engine;
using NetLlm.Hosting.Plugins;
using NetLlm.Reporting.Evaluation;
using NetLlm.Reporting.Results;
using NetLlm.Reporting.Statistics;
using NetLlm.Reporting.Writers;

namespace NetLlm.Cli.Commands;

/// <summary>
/// <c>netllm eval --task T --policies P1,P2,... [--settings S1,S2,...] [--seeds N] --report DIR [task options]</c>:
/// runs every policy on every setting with seeds <c>seed</c> .. <c>seed + N − 1</c> through the engine's test verb (in
/// parallel across cores), then writes <c>results.json</c>, <c>results.csv</c>, <c>items.csv</c>, <c>summary.md</c> and
/// PNG plots into DIR and prints the comparison table. Labels, directions and units come from the task's metric.
/// Settings merge as for <c>netllm test --setting</c>. With <c>--cluster FILE</c> the runs are work items of an Orleans
/// cluster (<see cref="ClusterEvaluation"/>) and the report is the same.
/// </summary>
public static class EvalCommand
{
    /// <summary>Creates the command for the task named on the command line (or a task-less one that asks for it).</summary>
    /// <param name="runner">Command runner.</param>
    /// <param name="host">Loaded plugins.</param>
    /// <param name="loggers">Logger factory (for an in-process cluster's commands).</param>
    /// <param name="taskId">The task named by <c>--task</c>, or null.</param>
    /// <param name="policies">Policy arguments found on the command line.</param>
    public static Command Create(CommandRunner runner, PluginHost host, ILoggerFactory loggers, string? taskId, IReadOnlyList<string> policies)
    {
        ArgumentNullException.ThrowIfNull(host);
        var registry = host.Registry;
        var task = new Option<string>("--task") { Description = $"Task id: {TaskVerbCommands.TaskList(registry, TaskVerb.Test)} (`netllm eval --task ID --help` lists its options)", Required = true };
        var policyOption = new Option<string[]>("--policies", "--policy") { Description = "Policy ids or adapted run directories (comma-separated or repeated; default: the task's baselines)", AllowMultipleArgumentsPerToken = false };
        var settings = new Option<string[]>("--settings", "--setting") { Description = "Settings to evaluate on (comma-separated or repeated; default: the task's default setting)", AllowMultipleArgumentsPerToken = false };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per policy and setting: --seed, --seed + 1, ... (default 1)", DefaultValueFactory = _ => 1 };
        var report = new Option<string>("--report") { Description = "Report folder to write (results.json, results.csv, items.csv, summary.md, plots/)", Required = true };
        var parallel = new Option<int?>("--parallel") { Description = $"Concurrent runs (default: the number of cores, {Environment.ProcessorCount}; 1 when an adapted run directory is evaluated); each uses one libtorch thread when more than one runs" };
        var noPlots = new Option<bool>("--no-plots") { Description = "Skip the PNG plots" };
        var json = JsonOption.Create();
        var cluster = ClusterOption.Create("Run the evaluation runs as work items of a cluster (configuration file, see docs/cluster.md); the report is the same");
        var command = new Command("eval", "Evaluate policies on settings and seeds and write a report with tables and plots")
        {
            task, policyOption, settings, seeds, report, parallel, noPlots, json, cluster,
        };
        var chosen = registry.Tasks.FirstOrDefault(t => t.Info.Id == taskId);
        var policyList = policies.Count > 0 ? policies : chosen?.Info.Baselines ?? [];
        var options = chosen is null ? null : new TaskVerbOptions(command, TaskShape.Of(chosen), VerbScope.Test, registry, policyList, TaskVerbCommands.Reserved);
        runner.Bind(command, (parse, session) =>
        {
            var definition = session.Registry.GetTask(parse.GetRequiredValue(task));
            if (options is null)
            {
                throw new ArgumentException($"task '{definition.Info.Id}' was not found before parsing; pass --task {definition.Info.Id} as a separate argument");
            }

            var chosenPolicies = Distinct(TaskVerbCommands.SplitList(parse.GetValue(policyOption)), "--policies");
            if (chosenPolicies.Count == 0)
            {
                chosenPolicies = [.. PolicyResolver.Available(session.Registry, definition.Info.Id, session.OptionalDataRoot).Where(definition.Info.Baselines.Contains)];
                if (chosenPolicies.Count == 0)
                {
                    throw new ArgumentException($"give the policies to evaluate with --policies (task '{definition.Info.Id}' names no baseline that is available)");
                }
            }

            var settingList = Distinct(TaskVerbCommands.SplitList(parse.GetValue(settings)), "--settings");
            if (settingList.Count == 0)
            {
                settingList = [TaskOptionsResolver.DefaultSetting(definition, VerbScope.Test)?.Name ?? throw new ArgumentException($"task '{definition.Info.Id}' declares no settings; pass --settings")];
            }

            foreach (var name in settingList)
            {
                _ = TaskOptionsResolver.Setting(definition, name);
            }

            var seedCount = parse.GetValue(seeds);
            if (seedCount is < 1 or > 10_000)
            {
                throw new ArgumentException($"--seeds: {seedCount} must be between 1 and 10000");
            }

            // Adapted runs (run directories) evaluate one at a time unless --parallel says otherwise: TorchSharp
            // 0.107 passes temporary Scalars by raw handle, and a finalizer on another thread can free one mid-call
            // when several model runs allocate concurrently (dotnet/TorchSharp#1434). Baselines run in parallel.
            var workers = parse.GetValue(parallel) ?? (chosenPolicies.Any(Directory.Exists) ? 1 : Environment.ProcessorCount);
            if (workers is < 1 or > 1024)
            {
                throw new ArgumentException($"--parallel: {workers} must be between 1 and 1024");
            }

            var seedList = Enumerable.Range(0, seedCount).Select(i => session.Seed + i).ToList();
            var template = options.Request(parse, session, TaskVerb.Test, null, chosenPolicies, null);
            var cases = (from setting in settingList from policy in chosenPolicies from seed in seedList select new EvaluationCase(policy, setting, seed)).ToList();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var folder = parse.GetRequiredValue(report);
            var clusterFile = parse.GetValue(cluster);
            var runs = clusterFile is null
                ? ProgressRunner.Run(session.Options.Progress, sink => EvaluationRunner.Run(definition.Info, cases, EvaluationRunner.Engine(template), workers, sink, session.Cancellation))
                : ClusterEvaluation.Run(ClusterConfig.Load(clusterFile), host, loggers, definition.Info, cases, ClusterEvaluation.Forwarded(parse), folder, session.Cancellation);
            var info = definition.Info;
            var results = new EvaluationResults(info.Id, info.Title, info.Metric, chosenPolicies, settingList, seedList, runs, info.Metric.ItemLabel, info.Metric.ItemQuantity);
            var files = ReportWriter.Write(results, folder, plots: !parse.GetValue(noPlots));
            var table = SummaryMarkdownWriter.ComparisonTable(new EvaluationSummary(results));
            var line = string.Create(CultureInfo.InvariantCulture, $"report: {Path.GetFullPath(folder)} ({files.Count} files: {string.Join(", ", files)})");
            if (JsonOption.Requested(parse, json))
            {
                JsonOption.Write(parse, json, Json(info, session.Seed, results, folder, clock.Elapsed.TotalSeconds).ToJson());
            }

            var text = JsonOption.ToStdout(parse, json) ? Console.Error : Console.Out;
            text.Write(table);
            text.WriteLine(line);
            return ExitCodes.Success;
        }, stopsOnSignal: true);
        return command;
    }

    private static VerbResult Json(TaskInfo info, int seed, EvaluationResults results, string folder, double seconds) => new()
    {
        Verb = TaskVerb.Test,
        Name = "eval",
        Task = info,
        Setting = string.Join(",", results.Settings),
        Seed = seed,
        Runs = results.Runs.Select(r => new PolicyRun
        {
            Policy = r.Policy,
            Setting = r.Setting,
            Seed = r.Seed,
            Score = new RunScore
            {
                Metric = r.Metric,
                Items = r.Distribution.Select((v, i) => new ScoredItem($"{info.Metric.ItemLabel} {i}", v)).ToList(),
                Components = r.Components,
                Notes = r.Summary,
            },
        }).ToList(),
        Artifacts = new Dictionary<string, string> { ["report"] = Path.GetFullPath(folder) },
        Seconds = seconds,
    };

    private static List<string> Distinct(IReadOnlyList<string> values, string option)
    {
        var duplicate = values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? [.. values] : throw new ArgumentException($"{option}: '{duplicate.Key}' is listed twice");
    }
}
