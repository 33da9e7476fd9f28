using System.CommandLine;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;
using NetLlm.Cli.Infrastructure;
using NetLlm.Core.Adaptation;
using NetLlm.Core.IO;
using NetLlm.Core.Lora;
using NetLlm.Transformers.Checkpoints;
using NetLlm.Transformers.Tools;
using Spectre.Console;
using static TorchSharp.torch;

namespace NetLlm.Cli.Commands;

/// <summary>
/// <c>netllm backbone info</c> (architecture facts of a local checkpoint or a preset, computed on the meta device so
/// no weights are read) and <c>netllm backbone forward</c> (one forward pass over .npy inputs, written as .npy).
/// </summary>
public static class BackboneCommand
{
    /// <summary>Creates the command group.</summary>
    /// <param name="runner">Command runner.</param>
    public static Command Create(CommandRunner runner)
    {
        var group = new Command("backbone", "Inspect and run foundation-model backbones");
        group.Subcommands.Add(Info(runner));
        group.Subcommands.Add(Forward(runner));
        group.Subcommands.Add(Init(runner));
        return group;
    }

    private static Command Init(CommandRunner runner)
    {
        var preset = new Option<string>("--preset") { Description = "The built-in configuration to write (see `netllm plugins`), e.g. llama-2-7b", Required = true };
        var outDir = new Option<string>("--out") { Description = "Model folder to write (config.json and safetensors weights)", Required = true };
        var dtype = new Option<string>("--dtype") { Description = "Weight dtype: float32, bfloat16 (default) or float16", DefaultValueFactory = _ => "bfloat16" };
        dtype.AcceptOnlyFromAmong([.. AdaptationOptions.DTypes]);
        var shard = new Option<double>("--max-shard-gb") { Description = "Largest safetensors shard in GiB; a larger checkpoint is split with an index, as downloads are", DefaultValueFactory = _ => 10.0 };
        var json = JsonOption.Create();
        var command = new Command("init", "Write a random-initialised backbone as a Hugging Face model folder (seeded by --seed), to try real-size shapes without their weights") { preset, outDir, dtype, shard, json };
        runner.Bind(command, (parse, session) =>
        {
            var gib = parse.GetValue(shard);
            if (!(gib >= 0.001 && gib <= 1024))
            {
                throw new ArgumentException($"option --max-shard-gb: {gib} is out of range [0.001, 1024]");
            }

            var (provider, name, config) = BackboneFactory.Preset(session.Registry, parse.GetRequiredValue(preset));
            var dir = parse.GetRequiredValue(outDir);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var summary = RandomCheckpointTool.Write(provider, config, dir, parse.GetValue(dtype)!, session.Seed, (long)(gib * (1L << 30)));
            var result = new JsonObject
            {
                ["preset"] = $"{provider.Family}/{name}",
                ["model"] = Path.GetFullPath(dir),
                ["seed"] = session.Seed,
                ["dtype"] = summary.DType,
                ["tensors"] = summary.Tensors,
                ["bytes"] = summary.Bytes,
                ["files"] = new JsonArray(summary.Files.Select(f => (JsonNode?)f).ToArray()),
                ["seconds"] = watch.Elapsed.TotalSeconds,
            };
            JsonOption.Write(parse, json, result);
            if (!JsonOption.ToStdout(parse, json))
            {
                Console.Out.WriteLine($"wrote {Path.GetFullPath(dir)}: {provider.Family}/{name}, {summary.Tensors} tensors, {summary.Bytes / (double)(1L << 30):0.00} GiB of {summary.DType} in {summary.Files.Count} file(s), seed {session.Seed}, {watch.Elapsed.TotalSeconds:0.0} s");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Info(CommandRunner runner)
    {
        var model = new Option<string?>("--model") { Description = "Local Hugging Face model folder (config.json + weights) or llama2.c folder" };
        var preset = new Option<string?>("--preset") { Description = "A built-in configuration (see `netllm plugins`)" };
        var allowPickle = new Option<bool>("--allow-pickle") { Description = "Accept pytorch_model.bin (pickle) weights when there is no safetensors file (their headers are read, no code is run)" };
        var configOnly = new Option<bool>("--config-only") { Description = "Describe a model folder from its config.json alone (for example to estimate memory before downloading the weights); the weights are not checked" };
        var json = JsonOption.Create();
        var command = new Command("info", "Architecture, layers, widths, heads, parameter count, dtype and estimated memory; checks the weights' names, shapes and dtypes against the architecture") { model, preset, allowPickle, configOnly, json };
        runner.Bind(command, (parse, session) =>
        {
            var (provider, config, source) = Resolve(session, parse.GetValue(model), parse.GetValue(preset));

            // A model folder is built on the meta device from its weights, so every tensor's header (name, shape, dtype,
            // extent in the file) is checked without reading the data; a preset has no weights.
            var checkWeights = parse.GetValue(model) is not null && !parse.GetValue(configOnly);
            using var backbone = checkWeights
                ? provider.FromPretrained(parse.GetValue(model)!, new BackboneLoadOptions { Device = "meta", AllowPickle = parse.GetValue(allowPickle) })
                : provider.FromConfig(config, new BackboneLoadOptions { Device = "meta", RandomInit = true });
            var info = backbone.Info;

            // The stored dtype and size come from the weights' headers when they were checked (a config's torch_dtype
            // can be wrong); from config.json otherwise, or for a llama2.c folder (float32 by its format).
            var configDType = StoredDType(config);
            var summary = checkWeights && CheckpointFiles.Exist(parse.GetValue(model)!) ? Summarise(parse.GetValue(model)!, parse.GetValue(allowPickle)) : null;
            var stored = summary?.DType ?? configDType;
            var result = new JsonObject
            {
                ["source"] = source,
                ["family"] = info.Family,
                ["model_type"] = info.ModelType,
                ["architecture"] = info.Architecture,
                ["layers"] = info.NumLayers,
                ["hidden_size"] = info.HiddenSize,
                ["attention_heads"] = info.NumAttentionHeads,
                ["key_value_heads"] = info.NumKeyValueHeads,
                ["intermediate_size"] = info.IntermediateSize,
                ["vocab_size"] = info.VocabSize,
                ["max_position_embeddings"] = info.MaxPositionEmbeddings,
                ["parameters"] = info.ParameterCount,
                ["checkpoint_dtype"] = stored,
                ["checkpoint_dtype_source"] = summary is null ? "config.json" : "weights",
                ["config_torch_dtype"] = configDType,
                ["checkpoint_bytes"] = summary?.Bytes,
                ["checkpoint_bytes_by_dtype"] = summary is null ? null : new JsonObject(summary.BytesByDType.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                ["checkpoint_tensors"] = summary?.Tensors,
                ["estimated_bytes_checkpoint_dtype"] = summary?.Bytes ?? info.ParameterCount * Bytes(stored),
                ["estimated_bytes_float32"] = info.ParameterCount * 4,
                ["estimated_bytes_bfloat16"] = info.ParameterCount * 2,
                ["has_lm_head"] = info.HasLmHead,
                ["position_encoding"] = backbone.PositionEncoding.ToString(),
                ["weights_checked"] = checkWeights,
                ["files"] = parse.GetValue(model) is { } dir ? new JsonArray(Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(f => (JsonNode?)f).ToArray()) : null,
            };
            JsonOption.Write(parse, json, result);
            if (!JsonOption.ToStdout(parse, json))
            {
                var table = new Table().AddColumns("property", "value");
                foreach (var (k, v) in result)
                {
                    if (v is not JsonArray and not JsonObject)
                    {
                        table.AddRow(k, Markup.Escape(v?.ToJsonString().Trim('"') ?? "-"));
                    }
                }

                AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }).Write(table);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Forward(CommandRunner runner)
    {
        var model = new Option<string>("--model") { Description = "Local model folder", Required = true };
        var ids = new Option<string?>("--input-ids") { Description = "Token ids .npy (int64 [batch, tokens])" };
        var mask = new Option<string?>("--attention-mask") { Description = "Attention mask .npy ([batch, tokens], 1 real, 0 padding)" };
        var embeds = new Option<string?>("--inputs-embeds") { Description = "Input embeddings .npy (float32 [batch, tokens, hidden])" };
        var adapter = new Option<string?>("--adapter") { Description = "A PEFT LoRA adapter folder to apply" };
        var output = new Option<string>("--output") { Description = "last_hidden_state (default), logits or hidden_states", DefaultValueFactory = _ => "last_hidden_state" };
        output.AcceptOnlyFromAmong("last_hidden_state", "logits", "hidden_states");
        var dtype = new Option<string>("--dtype") { Description = "Compute dtype: float32 (default), bfloat16, float16", DefaultValueFactory = _ => "float32" };
        var allowPickle = new Option<bool>("--allow-pickle") { Description = "Allow loading pytorch_model.bin (pickle) when there is no safetensors file" };
        var copyWeights = new Option<bool>("--copy-weights") { Description = "Read the weights into private memory instead of mapping the safetensors files" };
        var outFile = new Option<string>("--out") { Description = "Output .npy (float32)", Required = true };
        var command = new Command("forward", "Run one forward pass over .npy inputs and write the result as .npy") { model, ids, mask, embeds, adapter, output, dtype, allowPickle, copyWeights, outFile };
        runner.Bind(command, (parse, session) =>
        {
            var idsPath = parse.GetValue(ids);
            var embedsPath = parse.GetValue(embeds);
            if ((idsPath is null) == (embedsPath is null))
            {
                throw new ArgumentException("give exactly one of --input-ids and --inputs-embeds");
            }

            var dir = parse.GetRequiredValue(model);
            using var backbone = BackboneFactory.FromModel(session.Registry, dir, new BackboneLoadOptions { DType = parse.GetValue(dtype)!, AllowPickle = parse.GetValue(allowPickle), MapWeights = !parse.GetValue(copyWeights) });
            LoraModel? lora = null;
            if (parse.GetValue(adapter) is { } adapterDir)
            {
                lora = PeftAdapter.Load(backbone.Module, adapterDir);
            }

            backbone.Module.eval();
            var outPath = parse.GetRequiredValue(outFile);
            var shape = BackboneForwardTool.Run(backbone, new BackboneForwardRequest
            {
                InputIds = idsPath,
                InputsEmbeds = embedsPath,
                AttentionMask = parse.GetValue(mask),
                Output = parse.GetValue(output)!,
                OutputPath = outPath,
            });
            Console.Out.WriteLine($"wrote {outPath} [{string.Join(", ", shape)}] ({backbone.Info.Architecture}{(lora is null ? string.Empty : $", adapter r={lora.Options.Rank} on {lora.Layers.Count} layers")})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static (IBackboneProvider Provider, string Config, string Source) Resolve(CliSession session, string? model, string? preset)
    {
        if ((model is null) == (preset is null))
        {
            throw new ArgumentException("give exactly one of --model and --preset");
        }

        if (preset is not null)
        {
            var (provider, name, config) = BackboneFactory.Preset(session.Registry, preset);
            return (provider, config, $"preset:{provider.Family}/{name}");
        }

        var found = BackboneFactory.ProviderFor(session.Registry, model!);
        return (found, found.ReadConfig(model!), Path.GetFullPath(model!));
    }

    private static CheckpointSummary Summarise(string directory, bool allowPickle)
    {
        using var checkpoint = CheckpointFiles.Open(directory, allowPickle);
        return CheckpointSummary.Of(checkpoint);
    }

    private static string StoredDType(string config) =>
        JsonNode.Parse(config)?["torch_dtype"]?.GetValue<string>() ?? "float32";

    private static long Bytes(string dtype) => dtype switch
    {
        "float16" or "bfloat16" => 2,
        "float64" => 8,
        _ => 4,
    };
}
