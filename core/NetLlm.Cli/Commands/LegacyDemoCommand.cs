using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Cli.Infrastructure;
using NetLlm.Core.IO;
using Spectre.Console;

namespace NetLlm.Cli.Commands;

/// <summary>
/// <c>netllm demo</c>: the whole NetLLM pipeline for adaptive bitrate streaming in one command — experience
/// collection with the baselines, DD-LRNA adaptation of a backbone, and a test of the adapted policy against BBA and
/// RobustMPC (and GENET when the data root holds its weights) — printing a results table and writing a report folder.
/// Without a data root it runs on traces and a video ladder the project generates, with a small random-initialised
/// backbone; with <c>--data-root</c> it uses the real FCC/Norway traces, and with <c>--model</c> a real checkpoint.
/// </summary>
internal static class LegacyDemoCommand
{
    private const string Task = "abr";

    /// <summary>Creates the command.</summary>
    /// <param name="runner">Command runner.</param>
    public static Command Create(CommandRunner runner)
    {
        var output = new Option<string>("--out") { Description = "Report folder (default ./netllm-demo)", DefaultValueFactory = _ => "netllm-demo" };
        var model = new Option<string?>("--model") { Description = "A local Hugging Face (or llama2.c) model folder to adapt instead of the built-in random-initialised backbone" };
        var backbone = new Option<string>("--backbone") { Description = "Built-in backbone configuration when no --model is given", DefaultValueFactory = _ => "llama-tiny-2x256" };
        var epochs = new Option<int>("--epochs") { Description = "Adaptation epochs", DefaultValueFactory = _ => 8 };
        var rank = new Option<int>("--rank") { Description = "LoRA rank", DefaultValueFactory = _ => 128 };
        var traces = new Option<int>("--traces") { Description = "Synthetic mode: traces generated for collection (half as many for the test)", DefaultValueFactory = _ => 80 };
        var json = JsonOption.Create();
        var command = new Command("demo", "Run the NetLLM pipeline for ABR end to end (collect, adapt, test against the baselines) and write a report") { output, model, backbone, epochs, rank, traces, json };
        runner.Bind(command, (parse, session) =>
        {
            var task = session.Registry.GetLegacyTask(Task);
            var dataRoot = session.OptionalDataRoot;
            var real = dataRoot is not null && Directory.Exists(Path.Combine(dataRoot, "abr", "traces"));
            var genet = real && File.Exists(Path.Combine(dataRoot!, "abr", "models", "genet", "actor.safetensors"));
            var report = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(report);
            var seed = session.Seed;
            var synthetic = parse.GetValue(traces);
            var clock = Stopwatch.StartNew();
            var baselines = genet ? new[] { "abr.bba", "abr.mpc", "abr.genet" } : ["abr.bba", "abr.mpc"];
            var collectValues = real
                ? new Dictionary<string, string>(Setting(task, "train"))
                : new Dictionary<string, string>(Setting(task, "synthetic")) { ["synthetic-count"] = Int(synthetic), ["synthetic-seed"] = Int(seed) };
            var testValues = real
                ? new Dictionary<string, string>(Setting(task, "default"))
                : new Dictionary<string, string>(Setting(task, "synthetic")) { ["synthetic-count"] = Int(Math.Max(1, synthetic / 2)), ["synthetic-seed"] = Int(seed + 1) };
            var pool = Path.Combine(report, "pool.safetensors");
            var run = Path.Combine(report, "run");
            if (Directory.Exists(run))
            {
                Directory.Delete(run, recursive: true);
            }

            var adaptValues = new Dictionary<string, string>(collectValues)
            {
                ["pool"] = pool,
                ["epochs"] = Int(parse.GetValue(epochs)),
                ["rank"] = Int(parse.GetValue(rank)),
                ["batch-size"] = "16",
                ["lr"] = "3e-4",
                ["warmup-steps"] = "50",
            };
            if (parse.GetValue(model) is { } modelDir)
            {
                adaptValues["model"] = Path.GetFullPath(modelDir);
            }
            else
            {
                adaptValues["backbone"] = parse.GetValue(backbone)!;
            }

            var results = ProgressRunner.Run(session.Options.Progress, sink =>
            {
                var collect = task.Run(Request(session, TaskVerb.Collect, baselines, collectValues, pool, sink));
                var adapt = task.Run(Request(session, TaskVerb.Adapt, [], adaptValues, run, sink));
                var tests = new List<(string Policy, TaskReport Report)>();
                foreach (var policy in new[] { run }.Concat(baselines))
                {
                    tests.Add((policy == run ? "netllm" : policy, task.Run(Request(session, TaskVerb.Test, [policy], testValues, null, sink))));
                }

                return (collect, adapt, tests);
            });

            var document = Document(results.collect, results.adapt, results.tests, real, genet, seed, clock.Elapsed, adaptValues);
            AtomicFile.WriteAllText(Path.Combine(report, "results.json"), document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            AtomicFile.WriteAllText(Path.Combine(report, "summary.md"), Summary(results.tests, real, genet, seed, clock.Elapsed, adaptValues, results.adapt));
            JsonOption.Write(parse, json, document);
            if (!JsonOption.ToStdout(parse, json))
            {
                PrintTable(results.tests, real, adaptValues, results.adapt, report, clock.Elapsed);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static IReadOnlyDictionary<string, string> Setting(ITaskDefinition task, string name) =>
        task.Settings.FirstOrDefault(s => s.Name == name)?.Values ?? throw new InvalidOperationException($"the abr task has no '{name}' setting");

    private static TaskRequest Request(CliSession session, TaskVerb verb, IReadOnlyList<string> policies, Dictionary<string, string> values, string? output, IProgressSink sink) => new()
    {
        Verb = verb,
        DataRoot = session.OptionalDataRoot,
        Seed = session.Seed,
        Policies = policies,
        Arguments = new TaskArguments(values),
        Output = output,
        Registry = session.Registry,
        Progress = sink,
        Logger = session.Logger,
        Cancellation = session.Cancellation,
    };

    private static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Backbone(Dictionary<string, string> adapt, TaskReport adaptReport) =>
        adapt.TryGetValue("model", out var m)
            ? $"{adaptReport.Json["backbone"]?["family"]} checkpoint {m}"
            : $"{adapt["backbone"]} (random-initialised: no pretrained weights)";

    private static JsonObject Document(TaskReport collect, TaskReport adapt, List<(string Policy, TaskReport Report)> tests, bool real, bool genet, int seed, TimeSpan elapsed, Dictionary<string, string> adaptValues) => new()
    {
        ["task"] = Task,
        ["mode"] = real ? "data-root" : "synthetic",
        ["genet"] = genet,
        ["seed"] = seed,
        ["seconds"] = elapsed.TotalSeconds,
        ["backbone"] = Backbone(adaptValues, adapt),
        ["collect"] = collect.Json.DeepClone(),
        ["adapt"] = adapt.Json.DeepClone(),
        ["test"] = new JsonObject(tests.Select(t => KeyValuePair.Create(t.Policy, (JsonNode?)t.Report.Json.DeepClone()))),
    };

    private static string Summary(List<(string Policy, TaskReport Report)> tests, bool real, bool genet, int seed, TimeSpan elapsed, Dictionary<string, string> adaptValues, TaskReport adapt)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# NetLLM demo: adaptive bitrate streaming");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Data: {(real ? "the data root's traces (collect: fcc-train; test: fcc-test, video1)" : "traces and video generated by the project (collect and test use different generator seeds)")}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Backbone: {Backbone(adaptValues, adapt)}; LoRA r={adaptValues["rank"]}, {adaptValues["epochs"]} epochs");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Experience pool: {string.Join(", ", tests.Where(t => t.Policy != "netllm").Select(t => t.Policy))}{(genet ? string.Empty : " (GENET needs the data root's weights)")}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Seed {seed}; {elapsed.TotalMinutes:0.0} min");
        sb.AppendLine();
        sb.AppendLine("| policy | mean QoE | bitrate (Mbps) | rebuffer (s/chunk) | smoothness (Mbps/chunk) |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (policy, report) in tests)
        {
            var j = report.Json;
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {policy} | {Num(j["mean_qoe"])} | {Num(j["mean_bitrate_mbps"])} | {Num(j["mean_rebuffer_s"])} | {Num(j["mean_abs_dbitrate_mbps"])} |");
        }

        return sb.ToString();
    }

    private static string Num(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    private static void PrintTable(List<(string Policy, TaskReport Report)> tests, bool real, Dictionary<string, string> adaptValues, TaskReport adapt, string report, TimeSpan elapsed)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var table = new Table().Title($"ABR, {(real ? "fcc-test / video1" : "generated traces")}").AddColumns("policy", "mean QoE", "bitrate (Mbps)", "rebuffer (s/chunk)", "smoothness (Mbps/chunk)");
        foreach (var (policy, r) in tests)
        {
            var j = r.Json;
            table.AddRow(policy, Num(j["mean_qoe"]), Num(j["mean_bitrate_mbps"]), Num(j["mean_rebuffer_s"]), Num(j["mean_abs_dbitrate_mbps"]));
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape($"Backbone: {Backbone(adaptValues, adapt)}"));
        console.MarkupLine(Markup.Escape($"Report: {report} ({elapsed.TotalMinutes:0.0} min)"));
    }
}
