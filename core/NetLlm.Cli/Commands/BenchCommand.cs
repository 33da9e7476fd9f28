using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Abstractions.Plugins;
using NetLlm.Cli.Infrastructure;
using NetLlm.Core.Engine;
using NetLlm.Core.Benchmarks;
using NetLlm.Core.IO;
using NetLlm.Transformers.Benchmarks;

namespace NetLlm.Cli.Commands;

/// <summary>
/// <c>netllm bench [SUITE...] [--json FILE] [--compare FILE]</c>: runs benchmark suites (each task's Bench verb)
/// and writes one JSON document with the machine, thread count, versions and every figure; <c>--compare</c> prints
/// the ratio of each figure to an earlier document.
/// </summary>
public static class BenchCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="runner">Command runner.</param>
    /// <param name="registry">Loaded plugins (each task with a benchmark is a suite).</param>
    public static Command Create(CommandRunner runner, IPluginRegistry registry)
    {
        var names = Suites(registry).Concat(BuiltInSuites.Keys).Order(StringComparer.Ordinal);
        var suites = new Argument<string[]>("suite") { Description = "Suites to run: " + string.Join(", ", names) + " (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var quick = new Option<bool>("--quick") { Description = "Fewer repetitions (a smoke run; figures are noisier)" };
        var json = JsonOption.Create();
        var compare = new Option<string?>("--compare") { Description = "Earlier bench JSON to compare against (prints ratios)" };
        var models = new Option<string[]>("--model") { Description = "backbone suite: measure these model folders (load, first output, KV-cached decision, LoRA step, memory) beside the default preset, instead of the preset forward passes", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
        var dtype = new Option<string>("--dtype") { Description = "Compute dtype of --model measurements: bfloat16 (default), float32 or float16", DefaultValueFactory = _ => "bfloat16" };
        var copyWeights = new Option<bool>("--copy-weights") { Description = "--model measurements: read weights into private memory instead of mapping the safetensors files" };
        var command = new Command("bench", "Run performance benchmarks and write one JSON document") { suites, json, compare, quick, models, dtype, copyWeights };
        runner.Bind(command, (parse, session) =>
        {
            var available = Suites(session.Registry).ToList();
            var wanted = parse.GetValue(suites) is { Length: > 0 } s ? s : available.Concat(BuiltInSuites.Keys).Order(StringComparer.Ordinal).ToArray();
            var results = new JsonObject();
            foreach (var suite in wanted)
            {
                if (suite == ModelSuite && parse.GetValue(models) is { Length: > 0 } folders)
                {
                    var template = new ModelBenchmarkOptions { DType = parse.GetValue(dtype)!, MapWeights = !parse.GetValue(copyWeights), Seed = session.Seed, Decisions = parse.GetValue(quick) ? 2 : 5 };
                    results[suite] = ProgressRunner.Run(session.Options.Progress, sink => RunModels(session, sink, template, folders));
                    continue;
                }

                if (BuiltInSuites.TryGetValue(suite, out var builtIn))
                {
                    results[suite] = ProgressRunner.Run(session.Options.Progress, sink => builtIn(session, sink, parse.GetValue(quick)));
                    continue;
                }

                if (!available.Contains(suite))
                {
                    throw new ArgumentException($"unknown bench suite '{suite}'; available: {string.Join(", ", available.Concat(BuiltInSuites.Keys).Order(StringComparer.Ordinal))}");
                }

                var request = new VerbRequest
                {
                    Task = session.Registry.GetTask(suite),
                    Registry = session.Registry,
                    Context = session.Context(TaskVerb.Bench),
                };
                results[suite] = ProgressRunner.Run(session.Options.Progress, sink => TaskEngine.Bench(request with { Context = request.Context with { Progress = sink } }, parse.GetValue(quick)));
            }

            var document = new JsonObject
            {
                ["machine"] = Machine(),
                ["threads"] = TorchSharp.torch.get_num_threads(),
                ["seed"] = session.Seed,
                ["versions"] = new JsonObject
                {
                    ["netllm"] = typeof(BenchCommand).Assembly.GetName().Version?.ToString(),
                    ["dotnet"] = RuntimeInformation.FrameworkDescription,
                    ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
                },
                ["timestamp_utc"] = DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["suites"] = results,
            };
            if (JsonOption.Requested(parse, json))
            {
                JsonOption.Write(parse, json, document);
            }
            else
            {
                Console.Out.WriteLine(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }

            if (parse.GetValue(compare) is { } earlierPath)
            {
                var earlier = JsonNode.Parse(File.ReadAllText(earlierPath)) ?? throw new InvalidDataException($"{earlierPath}: empty JSON");
                var text = JsonOption.ToStdout(parse, json) ? Console.Error : Console.Out;
                foreach (var line in BenchComparison.Compare(earlier["suites"], results))
                {
                    text.WriteLine(line);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Suites of the shared machinery (not tied to a task).</summary>
    private static readonly Dictionary<string, Func<CliSession, IProgressSink, bool, JsonObject>> BuiltInSuites = new(StringComparer.Ordinal)
    {
        ["adapt"] = (session, sink, quick) => AdaptBenchmark.Run(session.Registry, sink, quick),
        ["backbone"] = (session, sink, quick) => RunBackbone(session, sink, quick),
    };

    private const string ModelSuite = "backbone";

    /// <summary>The backbone suite with model folders: the default preset, then each folder, measured alike.</summary>
    private static JsonObject RunModels(CliSession session, IProgressSink sink, ModelBenchmarkOptions template, IReadOnlyList<string> folders)
    {
        using var progress = sink.Start("backbone costs", folders.Count + 1);
        var cases = new JsonArray();
        foreach (var options in folders.Select(f => (ModelBenchmarkOptions?)(template with { Model = f })).Prepend(template))
        {
            var name = options!.Model ?? "default preset";
            cases.Add(ModelBenchmark.Run(session.Registry, options, line => progress.Advance(0, $"{name}: {line}")));
            progress.Advance(1, name);
        }

        return new JsonObject
        {
            ["benchmark"] = "backbone models",
            ["memory_method"] = "VmRSS/VmHWM/RssAnon/RssFile of /proc/self/status, relative to the process before loading",
            ["cases"] = cases,
        };
    }

    /// <summary>The backbone suite: forward pass, KV-cached step and memory of the Llama and GPT-2 preset shapes.</summary>
    private static JsonObject RunBackbone(CliSession session, IProgressSink sink, bool quick)
    {
        var options = (quick ? BackboneBenchmarkOptions.Quick : new BackboneBenchmarkOptions()) with { Seed = session.Seed };
        using var progress = sink.Start("backbone forward passes", options.Models.Count * options.Threads.Count);
        return BackboneBenchmark.Run(session.Registry, options, line => progress.Advance(1, line));
    }

    private static IEnumerable<string> Suites(IPluginRegistry registry) =>
        registry.Tasks.Where(TaskEngine.HasBenchmark).Select(t => t.Info.Id);

    private static JsonObject Machine() => new()
    {
        ["os"] = RuntimeInformation.OSDescription,
        ["architecture"] = RuntimeInformation.ProcessArchitecture.ToString(),
        ["logical_cores"] = Environment.ProcessorCount,
        ["cpu"] = CpuName(),
    };

    private static string? CpuName()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo))
        {
            return null;
        }

        var line = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
