using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Cli.Infrastructure;
using NetLlm.Hosting.Data.Fetch;

namespace NetLlm.Cli.Commands;

/// <summary>
/// <c>netllm data fetch [--task ID|all] [--data-root DIR] [--source-base URL] [--parallel N] [--retries N] [--json [FILE]]</c>:
/// downloads the files the loaded tasks list in their data requirements (<see cref="DataRequirement.Files"/>) into the
/// data root, verifying every file's size and SHA-256, resuming partial downloads and putting a file in place only once
/// it is verified. The host knows no dataset: a task plugin that lists its files can be fetched like the shipped ones.
/// </summary>
public static class DataFetchCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="runner">Command runner.</param>
    public static Command Create(CommandRunner runner)
    {
        var task = new Option<string>("--task", "--dataset") { Description = "Task whose data to fetch (see `netllm tasks`), or all", DefaultValueFactory = _ => "all" };
        var sourceBase = new Option<string?>("--source-base")
        {
            Description = "Mirror laid out like the data root (URL/abr/..., URL/cjs/..., URL/vp/...), serving every file including the curated conversions; default: each file's public URL (the shipped tasks: NetLLM @ 105bcf0, Genet @ 5d4303b), which lacks the curated files",
        };
        var parallel = new Option<int>("--parallel") { Description = "Concurrent downloads (default 4)", DefaultValueFactory = _ => 4 };
        var retries = new Option<int>("--retries") { Description = "Further attempts per file after an interrupted transfer, each resuming it (default 3)", DefaultValueFactory = _ => 3 };
        var json = JsonOption.Create();
        var command = new Command("fetch", "Download the data files the loaded tasks list into the data root (checksums verified, partial downloads resumed)")
        {
            task, sourceBase, parallel, retries, json,
        };
        runner.Bind(command, (parse, session) =>
        {
            var root = session.Options.DataRoot;
            if (string.IsNullOrEmpty(root))
            {
                throw new ArgumentException("no data root: pass --data-root DIR (created when missing), set NETLLM_DATA_ROOT, or set dataRoot in netllm.json");
            }

            Uri? mirror = null;
            if (parse.GetValue(sourceBase) is { Length: > 0 } text && !Uri.TryCreate(text, UriKind.Absolute, out mirror))
            {
                throw new ArgumentException($"--source-base: '{text}' is not an absolute URL");
            }

            var selection = parse.GetRequiredValue(task);
            var files = DataFetcher.FilesOf(SelectTasks(session, selection).SelectMany(t => t.Info.Data.Select(r => (t.Info.Id, r))));
            var options = new DataFetchOptions
            {
                DataRoot = root,
                Selection = selection,
                SourceBase = mirror,
                Parallelism = parse.GetValue(parallel),
                Retries = parse.GetValue(retries),
            };
            using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            client.DefaultRequestHeaders.UserAgent.ParseAdd("netllm-data-fetch/1.0");
            var fetcher = new DataFetcher(client);
            var report = ProgressRunner.Run(session.Options.Progress, sink => fetcher.RunAsync(files, options, sink, session.Cancellation).GetAwaiter().GetResult());
            JsonOption.Write(parse, json, ToJson(report, options));
            var output = JsonOption.ToStdout(parse, json) ? Console.Error : Console.Out;
            Print(report, options, output);
            return report.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
        }, stopsOnSignal: true);
        return command;
    }

    /// <summary>The tasks <paramref name="selection"/> names: one loaded task that lists data files, or every such task for <c>all</c>.</summary>
    private static IReadOnlyList<ITask> SelectTasks(CliSession session, string selection)
    {
        var withFiles = session.Registry.Tasks.Where(t => t.Info.Data.Any(r => r.Files.Count > 0)).OrderBy(t => t.Info.Id, StringComparer.Ordinal).ToList();
        var known = string.Join(", ", withFiles.Select(t => t.Info.Id).Append("all"));
        if (selection == "all")
        {
            return withFiles.Count > 0 ? withFiles : throw new ArgumentException("--task all: no loaded task lists data files to fetch (see `netllm tasks` and `netllm plugins`)");
        }

        var match = session.Registry.Tasks.FirstOrDefault(t => t.Info.Id == selection)
            ?? throw new ArgumentException($"--task: unknown task '{selection}'; tasks with data to fetch: {known}");
        return match.Info.Data.Any(r => r.Files.Count > 0)
            ? [match]
            : throw new ArgumentException($"--task: task '{selection}' lists no data files to fetch (its plugin gives no file list; see `netllm data check` for what it needs); tasks with data to fetch: {known}");
    }

    private static void Print(DataFetchReport report, DataFetchOptions options, TextWriter text)
    {
        foreach (var failure in report.Failures)
        {
            text.WriteLine("error: " + failure.Error);
        }

        var skipped = report.Files.Where(f => f.Outcome == FileOutcome.Skipped).ToList();
        if (skipped.Count > 0)
        {
            text.WriteLine($"note: {skipped.Count} curated file(s) are not in the public repositories and were not fetched (use --source-base with a complete mirror):");
            foreach (var group in skipped.GroupBy(f => f.File.Origin))
            {
                text.WriteLine($"  {group.Count()} x {group.Key} (e.g. {group.First().File.Path})");
            }
        }

        text.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{options.Selection} into {report.DataRoot}: {report.Count(FileOutcome.Present)} present, {report.Count(FileOutcome.Downloaded)} downloaded, {report.Count(FileOutcome.Resumed)} resumed, {report.Count(FileOutcome.Replaced)} replaced, {skipped.Count} skipped, {report.Failures.Count} failed; {report.BytesTransferred / 1e6:F1} MB transferred"));
    }

    private static JsonObject ToJson(DataFetchReport report, DataFetchOptions options) => new()
    {
        ["data_root"] = report.DataRoot,
        ["task"] = options.Selection,
        ["source_base"] = options.SourceBase?.ToString(),
        ["ok"] = report.Succeeded,
        ["bytes_transferred"] = report.BytesTransferred,
        ["counts"] = new JsonObject(Enum.GetValues<FileOutcome>().Select(o => KeyValuePair.Create(o.ToString().ToLowerInvariant(), (JsonNode?)report.Count(o)))),
        ["problems"] = new JsonArray([.. report.Files.Where(f => f.Outcome is FileOutcome.Failed or FileOutcome.Skipped).Select(f => (JsonNode)new JsonObject
        {
            ["path"] = f.File.Path,
            ["outcome"] = f.Outcome.ToString().ToLowerInvariant(),
            ["error"] = f.Error,
        })]),
    };
}
