using System.CommandLine;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;
using NetLlm.Cli.Infrastructure;
using NetLlm.Core.Adaptation;
using NetLlm.Core.IO;
using NetLlm.Core.Lora;
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
        return group;
    }

    private static Command Info(CommandRunner runner)
    {
        var model = new Option<string?>("--model") { Description = "Local Hugging Face model folder (config.json + weights) or llama2.c folder" };
        var preset = new Option<string?>("--preset") { Description = "A built-in configuration (see `netllm plugins`)" };
        var json = JsonOption.Create();
        var command = new Command("info", "Architecture, layers, widths, heads, parameter count, dtype and estimated memory") { model, preset, json };
        runner.Bind(command, (parse, session) =>
        {
            var (provider, config, source) = Resolve(session, parse.GetValue(model), parse.GetValue(preset));
            using var backbone = provider.FromConfig(config, new BackboneLoadOptions { Device = "meta", RandomInit = true });
            var info = backbone.Info;
            var stored = StoredDType(config);
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
                ["estimated_bytes_checkpoint_dtype"] = info.ParameterCount * Bytes(stored),
                ["estimated_bytes_float32"] = info.ParameterCount * 4,
                ["estimated_bytes_bfloat16"] = info.ParameterCount * 2,
                ["has_lm_head"] = info.HasLmHead,
                ["position_encoding"] = backbone.PositionEncoding.ToString(),
                ["files"] = parse.GetValue(model) is { } dir ? new JsonArray(Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(f => (JsonNode?)f).ToArray()) : null,
            };
            JsonOption.Write(parse, json, result);
            if (!JsonOption.ToStdout(parse, json))
            {
                var table = new Table().AddColumns("property", "value");
                foreach (var (k, v) in result)
                {
                    if (v is not JsonArray)
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
        var outFile = new Option<string>("--out") { Description = "Output .npy (float32)", Required = true };
        var command = new Command("forward", "Run one forward pass over .npy inputs and write the result as .npy") { model, ids, mask, embeds, adapter, output, dtype, allowPickle, outFile };
        runner.Bind(command, (parse, session) =>
        {
            var idsPath = parse.GetValue(ids);
            var embedsPath = parse.GetValue(embeds);
            if ((idsPath is null) == (embedsPath is null))
            {
                throw new ArgumentException("give exactly one of --input-ids and --inputs-embeds");
            }

            var dir = parse.GetRequiredValue(model);
            using var backbone = BackboneFactory.FromModel(session.Registry, dir, new BackboneLoadOptions { DType = parse.GetValue(dtype)!, AllowPickle = parse.GetValue(allowPickle) });
            LoraModel? lora = null;
            if (parse.GetValue(adapter) is { } adapterDir)
            {
                lora = PeftAdapter.Load(backbone.Module, adapterDir);
            }

            backbone.Module.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var input = new BackboneInput
            {
                InputIds = idsPath is null ? null : ReadIds(idsPath),
                InputsEmbeds = embedsPath is null ? null : NpyFile.ReadTensor(embedsPath).to_type(ScalarType.Float32),
                AttentionMask = parse.GetValue(mask) is { } m ? NpyFile.ReadTensor(m).to_type(ScalarType.Int64) : null,
                OutputLogits = parse.GetValue(output) == "logits",
                OutputHiddenStates = parse.GetValue(output) == "hidden_states",
            };
            using var result = backbone.Forward(input);
            var tensorOut = parse.GetValue(output) switch
            {
                "logits" => result.Logits ?? throw new ArgumentException($"{dir}: the model has no language-model head, so there are no logits"),
                "hidden_states" => stack(result.HiddenStates!.ToArray(), 0),
                _ => result.LastHiddenState,
            };
            NpyFile.Write(parse.GetRequiredValue(outFile), tensorOut.to_type(ScalarType.Float32));
            Console.Out.WriteLine($"wrote {parse.GetRequiredValue(outFile)} [{string.Join(", ", tensorOut.shape)}] ({backbone.Info.Architecture}{(lora is null ? string.Empty : $", adapter r={lora.Options.Rank} on {lora.Layers.Count} layers")})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Tensor ReadIds(string path)
    {
        var array = NpyFile.Read(path);
        if (array.DType is not (ScalarType.Int64 or ScalarType.Int32))
        {
            throw new InvalidDataException($"{path}: token ids must be int64 or int32, not {array.DType}");
        }

        return array.ToTensor().to_type(ScalarType.Int64);
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

    private static string StoredDType(string config) =>
        JsonNode.Parse(config)?["torch_dtype"]?.GetValue<string>() ?? "float32";

    private static long Bytes(string dtype) => dtype switch
    {
        "float16" or "bfloat16" => 2,
        "float64" => 8,
        _ => 4,
    };
}
