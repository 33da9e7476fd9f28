using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Cli.Infrastructure;
using NetLlm.Hosting.Data.Fetch;

namespace NetLlm.Cli.Commands;

/// <summary>
/// <c>netllm data fetch [--dataset abr|cjs|vp|all] [--data-root DIR] [--source-base URL] [--parallel N] [--retries N] [--json [FILE]]</c>:
/// downloads the datasets into the data root, verifying every file's SHA-256 against the embedded manifest,
/// resuming partial downloads and putting a file in place only once it is verified.
/// </summary>
public static class DataFetchCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="runner">Command runner.</param>
    public static Command Create(CommandRunner runner)
    {
        var dataset = new Option<string>("--dataset") { Description = "Dataset to fetch: abr, cjs, vp or all", DefaultValueFactory = _ => "all" };
        dataset.AcceptOnlyFromAmong([.. DatasetManifest.Datasets, "all"]);
        var sourceBase = new Option<string?>("--source-base")
        {
            Description = "Mirror laid out like the data root (URL/abr/..., URL/cjs/..., URL/vp/...), serving every file including the curated conversions; default: the public repositories (NetLLM @ 105bcf0, Genet @ 5d4303b), which lack the curated files",
        };
        var parallel = new Option<int>("--parallel") { Description = "Concurrent downloads (default 4)", DefaultValueFactory = _ => 4 };
        var retries = new Option<int>("--retries") { Description = "Further attempts per file after an interrupted transfer, each resuming it (default 3)", DefaultValueFactory = _ => 3 };
        var json = JsonOption.Create();
        var command = new Command("fetch", "Download the public datasets into the data root (checksums verified, partial downloads resumed)")
        {
            dataset, sourceBase, parallel, retries, json,
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

            var options = new DataFetchOptions
            {
                DataRoot = root,
                Dataset = parse.GetRequiredValue(dataset),
                SourceBase = mirror,
                Parallelism = parse.GetValue(parallel),
                Retries = parse.GetValue(retries),
            };
            using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            client.DefaultRequestHeaders.UserAgent.ParseAdd("netllm-data-fetch/1.0");
            var fetcher = new DataFetcher(DatasetManifest.Embedded, client);
            var report = ProgressRunner.Run(session.Options.Progress, sink => fetcher.RunAsync(options, sink, session.Cancellation).GetAwaiter().GetResult());
            JsonOption.Write(parse, json, ToJson(report, options));
            var output = JsonOption.ToStdout(parse, json) ? Console.Error : Console.Out;
            Print(report, options, output);
            return report.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
        }, stopsOnSignal: true);
        return command;
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
            $"{options.Dataset} into {report.DataRoot}: {report.Count(FileOutcome.Present)} present, {report.Count(FileOutcome.Downloaded)} downloaded, {report.Count(FileOutcome.Resumed)} resumed, {report.Count(FileOutcome.Replaced)} replaced, {skipped.Count} skipped, {report.Failures.Count} failed; {report.BytesTransferred / 1e6:F1} MB transferred"));
    }

    private static JsonObject ToJson(DataFetchReport report, DataFetchOptions options) => new()
    {
        ["data_root"] = report.DataRoot,
        ["dataset"] = options.Dataset,
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
