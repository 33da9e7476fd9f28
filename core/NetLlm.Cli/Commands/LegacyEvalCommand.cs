using System.CommandLine;
using System.Globalization;
using NetLlm.Abstractions.Tasks;
using NetLlm.Cli.Infrastructure;
using NetLlm.Reporting.Evaluation;
using NetLlm.Reporting.Results;
using NetLlm.Reporting.Statistics;
using NetLlm.Reporting.Writers;

namespace NetLlm.Cli.Commands;

/// <summary>
/// Transitional (contract-1.0 tasks): <c>netllm eval --task T --policies P1,P2,... [--settings S1,S2,...] [--seeds N] --report DIR [task options]</c>:
/// runs every policy on every setting with seeds <c>seed</c> .. <c>seed + N − 1</c> through the task's Test verb (in
/// parallel across cores), then writes <c>results.json</c>, <c>results.csv</c>, <c>items.csv</c>, <c>summary.md</c>
/// and PNG plots into DIR and prints the comparison table. Settings merge as for <c>netllm test --setting</c>:
/// configuration defaults, then the setting's values, then the options given on the command line.
/// </summary>
internal static class LegacyEvalCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="runner">Command runner.</param>
    /// <param name="tasks">Loaded tasks (their Test options are added).</param>
    /// <param name="shared">Options of the shared machinery.</param>
    public static Command Create(CommandRunner runner, IReadOnlyList<ITaskDefinition> tasks, IReadOnlyList<TaskOptionSpec> shared)
    {
        var taskIds = tasks.Where(t => t.Verbs.Contains(TaskVerb.Test)).Select(t => t.Id).ToArray();
        var task = new Option<string>("--task") { Description = "Task id" + (taskIds.Length > 0 ? ": " + string.Join(", ", taskIds) : " (no task plugin loaded)"), Required = true };
        var policies = new Option<string[]>("--policies", "--policy") { Description = "Policy ids or adapted run directories (comma-separated or repeated)", Required = true, AllowMultipleArgumentsPerToken = false };
        var settings = new Option<string[]>("--settings", "--setting") { Description = "Settings to evaluate on (comma-separated or repeated; default: the task's default setting)", AllowMultipleArgumentsPerToken = false };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per policy and setting: --seed, --seed + 1, ... (default 1)", DefaultValueFactory = _ => 1 };
        var report = new Option<string>("--report") { Description = "Report folder to write (results.json, results.csv, items.csv, summary.md, plots/)", Required = true };
        var parallel = new Option<int?>("--parallel") { Description = $"Concurrent runs (default: the number of cores, {Environment.ProcessorCount}; 1 when an adapted run directory is evaluated); each uses one libtorch thread when more than one runs" };
        var noPlots = new Option<bool>("--no-plots") { Description = "Skip the PNG plots" };
        var command = new Command("eval", "Evaluate policies on settings and seeds and write a report with tables and plots")
        {
            task, policies, settings, seeds, report, parallel, noPlots,
        };
        var reserved = new HashSet<string>(StringComparer.Ordinal)
        {
            "task", "policy", "policies", "setting", "settings", "seeds", "report", "parallel", "no-plots", "out", "json",
            "data-root", "seed", "threads", "config", "plugins-dir", "progress", "help",
        };
        var taskOptions = new TaskOptionSet(command, TaskVerb.Test, tasks, shared, reserved);
        runner.Bind(command, (parse, session) =>
        {
            var definition = session.Registry.GetLegacyTask(parse.GetRequiredValue(task));
            if (!definition.Verbs.Contains(TaskVerb.Test))
            {
                throw new ArgumentException($"task '{definition.Id}' has no test verb to evaluate with");
            }

            var policyList = Distinct(TaskVerbCommands.SplitList(parse.GetValue(policies)), "--policies");
            if (policyList.Count == 0)
            {
                throw new ArgumentException("give at least one policy with --policies");
            }

            var settingList = Distinct(TaskVerbCommands.SplitList(parse.GetValue(settings)), "--settings");
            if (settingList.Count == 0)
            {
                settingList = [definition.Settings.Count > 0 ? definition.Settings[0].Name : throw new ArgumentException($"task '{definition.Id}' declares no settings; pass --settings")];
            }

            var seedCount = parse.GetValue(seeds);
            if (seedCount < 1)
            {
                throw new ArgumentException($"--seeds: {seedCount} must be at least 1");
            }

            // Adapted runs (run directories) evaluate one at a time unless --parallel says otherwise: TorchSharp
            // 0.107 passes temporary Scalars (for example the implicit alpha of add) by raw handle, and a finalizer
            // on another thread can free one mid-call when several model runs allocate concurrently
            // (dotnet/TorchSharp#1434). Baselines run in parallel.
            var workers = parse.GetValue(parallel) ?? (policyList.Any(Directory.Exists) ? 1 : Environment.ProcessorCount);
            if (workers < 1)
            {
                throw new ArgumentException($"--parallel: {workers} must be at least 1");
            }

            var seedList = Enumerable.Range(0, seedCount).Select(i => session.Seed + i).ToList();
            var explicitValues = taskOptions.Values(parse);
            var cases = new List<EvaluationCase>();
            var templates = new Dictionary<string, TaskRequest>(StringComparer.Ordinal);
            foreach (var setting in settingList)
            {
                var template = TaskRequests.Build(parse, session, definition, TaskVerb.Test, setting, [], null, explicitValues);
                templates[setting] = template;
                foreach (var policy in policyList)
                {
                    cases.AddRange(seedList.Select(seed => new EvaluationCase(policy, setting, seed)));
                }
            }

            var info = new TaskInfo { Id = definition.Id, Title = definition.Title, Kind = definition.Kind, Metric = definition.Metric };
            EvaluationRun RunCase(EvaluationCase c, CancellationToken token)
            {
                var report = definition.Run(templates[c.Setting] with { Seed = c.Seed, Policies = [c.Policy], Progress = NullProgressSink.Instance, Cancellation = token });
                var metric = report.Metric ?? throw new InvalidOperationException($"task '{definition.Id}' reported no {definition.Metric.Name} for {c.Policy} on {c.Setting} (seed {c.Seed})");
                return new EvaluationRun(c.Policy, c.Setting, c.Seed, metric, [.. report.Distribution], new Dictionary<string, double>(report.Components, StringComparer.Ordinal), [.. report.Summary]);
            }

            var runs = ProgressRunner.Run(session.Options.Progress, sink => EvaluationRunner.Run(info, cases, RunCase, workers, sink, session.Cancellation));
            var (item, quantity) = ItemLabels(definition.Id);
            var results = new EvaluationResults(definition.Id, definition.Title, definition.Metric, policyList, settingList, seedList, runs, item, quantity);
            var folder = parse.GetRequiredValue(report);
            var files = ReportWriter.Write(results, folder, plots: !parse.GetValue(noPlots));
            Console.Out.Write(SummaryMarkdownWriter.ComparisonTable(new EvaluationSummary(results)));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"report: {Path.GetFullPath(folder)} ({files.Count} files: {string.Join(", ", files)})"));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// What one item of a task's distribution is and what its value measures, for the report's labels (the contract
    /// does not carry them; other tasks get "item" and the metric's name).
    /// </summary>
    /// <param name="taskId">Task id.</param>
    internal static (string Item, string? Quantity) ItemLabels(string taskId) => taskId switch
    {
        "abr" => ("trace", "mean QoE"),
        "cjs" => ("job", "job completion time"),
        "vp" => ("sample", "MAE"),
        _ => ("item", null),
    };

    private static List<string> Distinct(IReadOnlyList<string> values, string option)
    {
        var duplicate = values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? [.. values] : throw new ArgumentException($"{option}: '{duplicate.Key}' is listed twice");
    }
}
