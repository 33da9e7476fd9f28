using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Tasks;
using NetLlm.Cli.Infrastructure;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Core.IO;
using NetLlm.Hosting.Data;
using Spectre.Console;

namespace NetLlm.Cli.Commands;

/// <summary>
/// <c>netllm demo [--task T]</c>: the whole NetLLM pipeline for a task that declares a demo — experience collection with
/// its baselines (decision tasks), DD-LRNA adaptation of a backbone, and a test of the adapted policy against the
/// baselines — printing a table and writing a report folder. Without the task's data under the data root it runs on
/// data the task generates, with a small random-initialised backbone; with <c>--model</c> it adapts a real checkpoint.
/// With no <c>--task</c>, the task whose demo is marked default runs.
/// </summary>
public static class DemoCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="runner">Command runner.</param>
    /// <param name="registry">Loaded plugins.</param>
    public static Command Create(CommandRunner runner, IPluginRegistry registry)
    {
        var withDemo = registry.Tasks.Where(DemoRunner.HasDemo).Select(t => t.Info.Id).ToList();
        var task = new Option<string?>("--task") { Description = $"Task whose demo runs: {(withDemo.Count > 0 ? string.Join(", ", withDemo) : "(no loaded task declares a demo)")} (default: {DemoRunner.DefaultTask(registry.Tasks)?.Info.Id ?? "none"})" };
        var output = new Option<string>("--out") { Description = "Report folder (default ./netllm-demo)", DefaultValueFactory = _ => "netllm-demo" };
        var model = new Option<string?>("--model") { Description = "A local Hugging Face (or llama2.c) model folder to adapt instead of the built-in random-initialised backbone" };
        var backbone = new Option<string?>("--backbone") { Description = "Built-in backbone configuration when no --model is given (default: the preset a backbone plugin marks as default)" };
        var epochs = new Option<int>("--epochs") { Description = "Adaptation epochs", DefaultValueFactory = _ => 16 };
        var rank = new Option<int?>("--rank") { Description = "LoRA rank; -1 fine-tunes the whole backbone (default: -1 for the built-in small backbone, the best recipe measured; 128 with --model)" };
        var evalEpisodes = new Option<int?>("--eval-episodes") { Description = "Decision tasks: training episodes played after each epoch to keep the best checkpoint (0 keeps the last; default: the task's demo plan)" };
        var json = JsonOption.Create();
        var command = new Command("demo", "Run the NetLLM pipeline end to end on a task (collect, adapt, test against the baselines) and write a report") { task, output, model, backbone, epochs, rank, evalEpisodes, json };
        runner.Bind(command, (parse, session) =>
        {
            var chosen = parse.GetValue(task) is { } id ? session.Registry.GetTask(id) : DemoRunner.DefaultTask(session.Registry.Tasks)
                ?? throw new ArgumentException("no loaded task declares a demo (see `netllm plugins`)");
            if (!DemoRunner.HasDemo(chosen))
            {
                throw new ArgumentException($"task '{chosen.Info.Id}' declares no demo; tasks with one: {string.Join(", ", withDemo)}");
            }

            var epochCount = parse.GetValue(epochs);
            var loraRank = parse.GetValue(rank) ?? (parse.GetValue(model) is null ? -1 : 128);
            var adaptation = new AdaptationOptions
            {
                Model = parse.GetValue(model) is { } m ? Path.GetFullPath(m) : null,
                BackbonePreset = parse.GetValue(backbone),
                Epochs = epochCount,
                Rank = loraRank,
                BatchSize = 16,
                LearningRate = 3e-4,
                WarmupSteps = 50,
            };
            if (parse.GetValue(evalEpisodes) is < 0 or > 100_000)
            {
                throw new ArgumentException($"--eval-episodes: {parse.GetValue(evalEpisodes)} must be between 0 and 100000");
            }

            adaptation.Validate();
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            var realData = DataCheck.Present(session.OptionalDataRoot, chosen.Info.Data);
            var request = new VerbRequest
            {
                Task = chosen,
                Registry = session.Registry,
                Context = session.Context(TaskVerb.Test),
                Adaptation = adaptation,
            };
            var result = ProgressRunner.Run(session.Options.Progress, sink => DemoRunner.Run(request with { Context = request.Context with { Progress = sink } }, folder, realData, parse.GetValue(evalEpisodes)));
            var backboneText = Backbone(result);
            adaptation = result.Adaptation ?? adaptation;
            var document = Document(result, session.Seed, backboneText, adaptation);
            var plots = DemoPlots.Draw(result, session.Seed, folder);
            document["plots"] = new JsonArray([.. plots.Select(p => (JsonNode?)p)]);
            AtomicFile.WriteAllText(Path.Combine(folder, "results.json"), document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            AtomicFile.WriteAllText(Path.Combine(folder, "summary.md"), Summary(result, session.Seed, backboneText, adaptation) + string.Concat(plots.Select(p => $"\n![{Path.GetFileNameWithoutExtension(p)}]({p.Replace('\\', '/')})\n")));
            JsonOption.Write(parse, json, document);
            if (!JsonOption.ToStdout(parse, json))
            {
                PrintTable(result, backboneText, folder);
                Console.Out.WriteLine($"Plots: {string.Join(", ", plots.Select(p => Path.Combine(folder, p)))}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Backbone(DemoResult result)
    {
        var b = result.Adapt.Runs[0].Details?["backbone"];
        var family = b?["family"]?.ToString();
        return b?["source"]?.ToString() == "model"
            ? $"{family} checkpoint {b?["model"]}"
            : $"{b?["preset"]} ({family}, random-initialised: no pretrained weights)";
    }

    private static string Num(double? v) => v is { } d ? d.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    private static JsonObject Document(DemoResult r, int seed, string backbone, AdaptationOptions adaptation) => new()
    {
        ["task"] = r.Task.Id,
        ["mode"] = r.RealData ? "data-root" : "embedded",
        ["data"] = r.Title,
        ["seed"] = seed,
        ["seconds"] = r.Seconds,
        ["backbone"] = backbone,
        ["adaptation"] = adaptation.ToJson(),
        ["collect"] = r.Collect?.ToJson(),
        ["adapt"] = r.Adapt.ToJson(),
        ["test"] = new JsonObject(r.Tests.Select(t => KeyValuePair.Create(t.Policy, (JsonNode?)new JsonObject
        {
            ["policy"] = t.Run.Policy,
            ["metric"] = t.Run.Metric,
            ["components"] = t.Run.Score is null ? null : new JsonObject(t.Run.Score.Components.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        }))),
    };

    private static IEnumerable<(string Header, Func<PolicyRun, double?> Value)> Columns(TaskInfo task) =>
        new (string, Func<PolicyRun, double?>)[] { (task.Metric.DisplayLabel, r => r.Metric) }
            .Concat(task.Metric.Components.Select(c => (c.Label, (Func<PolicyRun, double?>)(r => r.Score?.Components.TryGetValue(c.Name, out var v) == true ? v : null))));

    private static string Summary(DemoResult r, int seed, string backbone, AdaptationOptions adaptation)
    {
        var columns = Columns(r.Task).ToList();
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# NetLLM demo: {r.Task.Title}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Data: {r.Title}{(r.RealData ? " (data root)" : " (generated by the task; no data root needed)")}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Backbone: {backbone}; {(adaptation.Rank < 0 ? "full fine-tuning" : adaptation.Rank == 0 ? "frozen backbone" : $"LoRA r={adaptation.Rank}")}, {adaptation.Epochs} epochs{(adaptation.EvalEpisodes > 0 ? $", the best epoch on {adaptation.EvalEpisodes} training episodes kept" : string.Empty)}; the adapted policy takes its most likely action");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Baselines: {string.Join(", ", r.Tests.Where(t => t.Policy != "netllm").Select(t => t.Policy))}");
        if (r.Collect is { } collect)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Experience pool from: {string.Join(", ", collect.Runs.Select(c => c.Policy))} (the adapted policy itself sees only what a causal policy sees)");
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"- Seed {seed}; {r.Seconds / 60:0.0} min");
        sb.AppendLine();
        sb.AppendLine("| policy | " + string.Join(" | ", columns.Select(c => c.Header)) + " |");
        sb.AppendLine("|---|" + string.Concat(columns.Select(_ => "---:|")));
        foreach (var (policy, run) in r.Tests)
        {
            sb.AppendLine($"| {policy} | " + string.Join(" | ", columns.Select(c => Num(c.Value(run)))) + " |");
        }

        return sb.ToString();
    }

    private static void PrintTable(DemoResult r, string backbone, string folder)
    {
        var columns = Columns(r.Task).ToList();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var table = new Table().Title(Markup.Escape($"{r.Task.Title}, {r.Title}")).AddColumn("policy");
        foreach (var c in columns)
        {
            table.AddColumn(Markup.Escape(c.Header));
        }

        foreach (var (policy, run) in r.Tests)
        {
            table.AddRow([policy, .. columns.Select(c => Num(c.Value(run)))]);
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape($"Backbone: {backbone}"));
        if (r.Collect is { } collect)
        {
            console.MarkupLine(Markup.Escape($"Experience from: {string.Join(", ", collect.Runs.Select(c => c.Policy))}"));
        }

        console.MarkupLine(Markup.Escape($"Report: {folder} ({r.Seconds / 60:0.0} min)"));
    }
}
