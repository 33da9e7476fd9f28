using System.Text.Json;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NetLlm.Baselines.Decima;

/// <summary>
/// Loads Decima's pretrained weights: from the JSON export (<c>{name: {"shape", "dtype", "data"}}</c>, the safe
/// default) or — only when explicitly allowed — from the original <c>torch.save</c> checkpoint via TorchSharp.PyBridge.
/// Loading is strict: every parameter must be present with its shape and nothing else may be in the file; errors
/// name the file and the tensor.
/// </summary>
public static class DecimaWeights
{
    /// <summary>Loads <paramref name="path"/> into <paramref name="module"/> (by file extension: .json or .pt/.pth).</summary>
    /// <param name="module">The module (its parameters are overwritten).</param>
    /// <param name="path">Weights file.</param>
    /// <param name="allowPickle">Permit a torch.save checkpoint (a pickle; PyBridge executes no code, but it stays opt-in).</param>
    public static void Load(nn.Module module, string path, bool allowPickle)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Decima weights not found: {path}", path);
        }

        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".json")
        {
            LoadJson(module, path);
        }
        else if (ext is ".pt" or ".pth" or ".bin")
        {
            if (!allowPickle)
            {
                throw new ArgumentException($"{path} is a torch.save checkpoint (pickle); pass --allow-pickle to read it, or use model_state_dict.json");
            }

            LoadTorch(module, path);
        }
        else
        {
            throw new ArgumentException($"{path}: unknown weights format '{ext}' (expected .json, or .pt with --allow-pickle)");
        }
    }

    /// <summary>Loads the JSON export.</summary>
    /// <param name="module">The module.</param>
    /// <param name="path">JSON file.</param>
    public static void LoadJson(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message})", e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: expected an object of named tensors");
            }

            var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var entry in root.EnumerateObject())
            {
                if (!parameters.ContainsKey(entry.Name))
                {
                    throw new InvalidDataException($"{path}: tensor '{entry.Name}' is not a parameter of Decima (expected: {string.Join(", ", parameters.Keys)})");
                }
            }

            using var noGrad = no_grad();
            foreach (var (name, parameter) in parameters)
            {
                if (!root.TryGetProperty(name, out var t))
                {
                    throw new InvalidDataException($"{path}: tensor '{name}' is missing");
                }

                var shape = t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                if (!shape.SequenceEqual(parameter.shape))
                {
                    throw new InvalidDataException($"{path}: tensor '{name}' has shape [{string.Join(", ", shape)}], Decima needs [{string.Join(", ", parameter.shape)}]");
                }

                if (t.TryGetProperty("dtype", out var dtype) && dtype.GetString() != "float32")
                {
                    throw new InvalidDataException($"{path}: tensor '{name}' has dtype {dtype.GetString()}, expected float32");
                }

                var data = t.GetProperty("data");
                var values = new float[data.GetArrayLength()];
                if (values.LongLength != parameter.numel())
                {
                    throw new InvalidDataException($"{path}: tensor '{name}' holds {values.Length} values for shape [{string.Join(", ", shape)}]");
                }

                var i = 0;
                foreach (var v in data.EnumerateArray())
                {
                    values[i++] = v.GetSingle();
                }

                using var source = tensor(values, shape);
                parameter.copy_(source);
            }
        }
    }

    /// <summary>Loads a torch.save state dict through TorchSharp.PyBridge (strict).</summary>
    /// <param name="module">The module.</param>
    /// <param name="path">Checkpoint.</param>
    public static void LoadTorch(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        try
        {
            module.load_py(path, strict: true);
        }
        catch (Exception e) when (e is not FileNotFoundException)
        {
            throw new InvalidDataException($"{path}: cannot load as a Decima state dict: {e.Message}", e);
        }
    }
}
