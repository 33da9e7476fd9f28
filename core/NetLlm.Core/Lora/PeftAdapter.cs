using NetLlm.Core.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Core.Lora;

/// <summary>
/// Saves and loads LoRA adapters in PEFT's format: a folder with <c>adapter_config.json</c> and
/// <c>adapter_model.safetensors</c> whose keys are <c>base_model.model.&lt;module path&gt;.lora_A.weight</c> /
/// <c>lora_B.weight</c> (adapter name stripped), plus the trained biases and <c>modules_to_save</c> parameters under
/// their own paths. Adapters written by Python PEFT load here and the other way round.
/// </summary>
public static class PeftAdapter
{
    /// <summary>Config file name.</summary>
    public const string ConfigFile = "adapter_config.json";

    /// <summary>Weights file name.</summary>
    public const string WeightsFile = "adapter_model.safetensors";

    private const string Prefix = "base_model.model.";

    /// <summary>The adapter's tensors under PEFT key names (borrowed from the model; do not dispose).</summary>
    /// <param name="model">The adapted model.</param>
    public static IReadOnlyDictionary<string, Tensor> StateDict(LoraModel model)
    {
        var tensors = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (path, layer, adapter) in model.Layers)
        {
            tensors[Prefix + path + ".lora_A.weight"] = adapter.A.weight;
            tensors[Prefix + path + ".lora_B.weight"] = adapter.B.weight;
            if (model.Options.Bias == "lora_only" && layer.Bias is not null)
            {
                tensors[Prefix + path + ".bias"] = layer.Bias;
            }
        }

        if (model.Options.Bias == "all")
        {
            foreach (var (name, p) in model.Root.named_parameters())
            {
                if (name.EndsWith(".bias", StringComparison.Ordinal) && !name.Contains(".lora_", StringComparison.Ordinal))
                {
                    tensors[Prefix + name] = p;
                }
            }
        }

        foreach (var (name, p) in model.ModulesToSaveParameters())
        {
            tensors[Prefix + name] = p;
        }

        return tensors;
    }

    /// <summary>Writes the adapter folder (each file atomically).</summary>
    /// <param name="model">The adapted model.</param>
    /// <param name="directory">Destination folder.</param>
    public static void Save(LoraModel model, string directory)
    {
        Directory.CreateDirectory(directory);
        using var noGrad = no_grad();
        var detached = StateDict(model).ToDictionary(kv => kv.Key, kv => kv.Value.detach());
        try
        {
            SafetensorsWriter.Write(Path.Combine(directory, WeightsFile), detached, new Dictionary<string, string> { ["format"] = "pt" });
        }
        finally
        {
            foreach (var t in detached.Values)
            {
                t.Dispose();
            }
        }

        var json = model.Options.ToPeftJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFile), json + "\n");
    }

    /// <summary>Reads an adapter folder's options.</summary>
    /// <param name="directory">Adapter folder.</param>
    public static LoraOptions ReadOptions(string directory)
    {
        var path = Path.Combine(directory, ConfigFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: adapter config not found (a PEFT adapter folder holds {ConfigFile} and {WeightsFile})", path);
        }

        return LoraOptions.FromPeftJson(File.ReadAllText(path), path);
    }

    /// <summary>
    /// Attaches the adapter in <paramref name="directory"/> to <paramref name="root"/> and loads its weights strictly:
    /// missing and unexpected keys are listed, shape mismatches name the tensor, both shapes and the file. Adapters
    /// saved from a headless model (paths without the <c>model.</c> prefix) or from a causal-LM model load into either.
    /// </summary>
    /// <param name="root">The model.</param>
    /// <param name="directory">Adapter folder.</param>
    /// <param name="adapterName">Adapter name.</param>
    public static LoraModel Load(nn.Module root, string directory, string adapterName = "default")
    {
        var options = ReadOptions(directory);
        var weightsPath = Path.Combine(directory, WeightsFile);
        if (!File.Exists(weightsPath))
        {
            var bin = Path.Combine(directory, "adapter_model.bin");
            throw new FileNotFoundException(File.Exists(bin)
                ? $"{weightsPath}: not found; only {bin} (a pickle) is present — convert it to safetensors (pickle adapters are not read)"
                : $"{weightsPath}: adapter weights not found", weightsPath);
        }

        using var file = SafetensorsFile.Open(weightsPath);
        LoraModel model;
        try
        {
            model = LoraModel.Apply(root, options, adapterName);
        }
        catch (ArgumentException e)
        {
            // The adapter's own configuration does not fit the model (for example target_modules match no layer).
            throw new InvalidDataException($"{Path.Combine(directory, ConfigFile)}: {e.Message}", e);
        }

        var expected = StateDict(model);
        var map = MapKeys(expected.Keys, file.Entries.Keys, weightsPath);
        using var noGrad = no_grad();
        foreach (var (ours, target) in expected)
        {
            var entry = file.Get(map[ours]);
            if (!entry.Shape.SequenceEqual(target.shape))
            {
                throw new InvalidDataException($"{weightsPath}: tensor '{entry.Name}' has shape {entry.ShapeText} but the model expects [{string.Join(", ", target.shape)}]");
            }

            if (target.is_floating_point() && entry.DType is not (ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float64))
            {
                throw new InvalidDataException($"{weightsPath}: tensor '{entry.Name}' is stored as {entry.DType}; adapter weights must be floating point (F32, F16, BF16 or F64), so it is not cast");
            }

            using var value = file.Read(entry.Name, target.dtype, target.device);
            if (TensorValues.NonFiniteCount(value) is > 0 and var bad)
            {
                throw new InvalidDataException($"{weightsPath}: tensor '{entry.Name}' holds {bad} NaN or infinite value(s)");
            }

            target.copy_(value);
        }

        return model;
    }

    private static Dictionary<string, string> MapKeys(IEnumerable<string> expectedKeys, IEnumerable<string> fileKeys, string path)
    {
        var expected = expectedKeys.ToList();
        var present = new HashSet<string>(fileKeys, StringComparer.Ordinal);
        Func<string, string>[] candidates =
        [
            k => k,
            k => k.StartsWith(Prefix + "model.", StringComparison.Ordinal) ? Prefix + k[(Prefix.Length + "model.".Length)..] : k,
            k => Prefix + "model." + k[Prefix.Length..],
        ];
        foreach (var candidate in candidates)
        {
            var mapped = expected.ToDictionary(k => k, candidate, StringComparer.Ordinal);
            if (mapped.Values.All(present.Contains) && mapped.Count == present.Count)
            {
                return mapped;
            }
        }

        var missing = expected.Where(k => !present.Contains(k)).ToList();
        var unexpected = present.Where(k => !expected.Contains(k)).ToList();
        throw new InvalidDataException($"{path}: adapter tensors do not match the model. Missing ({missing.Count}): {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", ..." : string.Empty)}. Unexpected ({unexpected.Count}): {string.Join(", ", unexpected.Take(10))}{(unexpected.Count > 10 ? ", ..." : string.Empty)}");
    }
}
