using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Core.IO;

/// <summary>Saves and loads a module's parameters and buffers as safetensors, by state-dict name.</summary>
public static class ModuleStateFile
{
    /// <summary>Writes the module's state dict (optionally filtered) to <paramref name="path"/> atomically.</summary>
    /// <param name="module">The module.</param>
    /// <param name="path">Destination.</param>
    /// <param name="include">Optional filter on state-dict names.</param>
    /// <param name="metadata">Optional metadata.</param>
    public static void Save(nn.Module module, string path, Func<string, bool>? include = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var noGrad = no_grad();
        var state = module.state_dict().Where(kv => include is null || include(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value.detach());
        try
        {
            SafetensorsWriter.Write(path, state, metadata);
        }
        finally
        {
            foreach (var t in state.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>
    /// Copies the tensors of <paramref name="path"/> into the module's state by name. With <paramref name="strict"/>,
    /// missing and unexpected names are errors (listed); a shape mismatch names the tensor, both shapes and the file.
    /// Values are converted to each parameter's dtype and device.
    /// </summary>
    /// <param name="module">The module.</param>
    /// <param name="path">Safetensors file.</param>
    /// <param name="strict">Require the file and the module to hold exactly the same names.</param>
    /// <param name="include">Optional filter on the module's state-dict names considered.</param>
    public static void Load(nn.Module module, string path, bool strict = true, Func<string, bool>? include = null)
    {
        using var file = SafetensorsFile.Open(path);
        var state = module.state_dict().Where(kv => include is null || include(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        if (strict)
        {
            var missing = state.Keys.Where(k => !file.Entries.ContainsKey(k)).ToList();
            // Builds before contract 2.0 also saved each task module a second time under its auto-property's
            // compiler-generated field name ("<Task>k__BackingField.*"): no module can have such a name, so those
            // copies are skipped and older run directories still load.
            var unexpected = file.Entries.Keys.Where(k => !state.ContainsKey(k) && !k.Contains(">k__BackingField", StringComparison.Ordinal)).ToList();
            if (missing.Count > 0 || unexpected.Count > 0)
            {
                throw new InvalidDataException($"{path}: tensors do not match the module. Missing ({missing.Count}): {string.Join(", ", missing.Take(12))}{(missing.Count > 12 ? ", ..." : string.Empty)}. Unexpected ({unexpected.Count}): {string.Join(", ", unexpected.Take(12))}{(unexpected.Count > 12 ? ", ..." : string.Empty)}");
            }
        }

        using var noGrad = no_grad();
        foreach (var (name, target) in state)
        {
            if (!file.Entries.TryGetValue(name, out var entry))
            {
                continue;
            }

            if (!entry.Shape.SequenceEqual(target.shape))
            {
                throw new InvalidDataException($"{path}: tensor '{name}' has shape {entry.ShapeText} but the module expects [{string.Join(", ", target.shape)}]");
            }

            using var value = file.Read(name, target.dtype, target.device);
            target.copy_(value);
        }
    }
}
