using NetLlm.Core.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Checkpoints;

/// <summary>
/// Loads a checkpoint into a module strictly: every state-dict entry of the module must come from the checkpoint and
/// every checkpoint tensor must land in the module (or be explicitly ignorable), shapes must match exactly and the
/// stored dtype must be a floating type for floating parameters. Everything is checked before any data is read, so a
/// failure never leaves a half-loaded module behind a success. Weights are converted to the parameter's dtype and
/// device while copying (float16/bfloat16 checkpoints into float32 models, and so on). On the <c>meta</c> device
/// only the names and shapes are checked.
/// </summary>
public static class StateDictLoader
{
    private const int MaxListed = 40;

    /// <summary>Loads <paramref name="checkpoint"/> (borrowed) into <paramref name="module"/>.</summary>
    /// <param name="module">The module; its parameters are overwritten in place.</param>
    /// <param name="checkpoint">The opened checkpoint.</param>
    /// <param name="mapping">Name mapping rules.</param>
    /// <param name="architecture">Architecture name for messages (for example <c>LlamaForCausalLM</c>).</param>
    /// <param name="mapWeights">
    /// Make parameters of the stored dtype copy-on-write views of the file's memory mapping (<see cref="ICheckpointReader.TryMapInto"/>)
    /// instead of reading them into the parameters' own memory.
    /// </param>
    /// <returns>The number of tensors loaded.</returns>
    public static int Load(nn.Module module, ICheckpointReader checkpoint, CheckpointKeyMapping mapping, string architecture, bool mapWeights = false)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(mapping);
        var targets = module.state_dict();
        var targetNames = targets.Keys.ToHashSet(StringComparer.Ordinal);
        var assignment = new Dictionary<string, string>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        var errors = new List<string>();
        foreach (var name in checkpoint.Names)
        {
            var target = mapping.Map(name, targetNames);
            if (target is null)
            {
                if (!mapping.IsIgnored(name))
                {
                    unexpected.Add(name);
                }

                continue;
            }

            if (assignment.TryGetValue(target, out var other))
            {
                errors.Add($"tensors '{other}' and '{name}' both map to '{target}'");
                continue;
            }

            assignment[target] = name;
        }

        var missing = targetNames.Where(n => !assignment.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unexpected.Count > 0 || errors.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"missing {missing.Count} tensor(s): {List(missing)}");
            }

            if (unexpected.Count > 0)
            {
                parts.Add($"unexpected {unexpected.Count} tensor(s): {List(unexpected.Order(StringComparer.Ordinal))}");
            }

            parts.AddRange(errors);
            throw new InvalidDataException($"{checkpoint.Source}: checkpoint does not match {architecture}: {string.Join("; ", parts)}");
        }

        foreach (var (target, name) in assignment)
        {
            var info = checkpoint.Describe(name);
            var parameter = targets[target];
            if (!info.Shape.SequenceEqual(parameter.shape))
            {
                errors.Add($"tensor '{name}' in {info.File} has shape {info.ShapeText} but {architecture} expects {CheckpointTensorInfo.FormatShape(parameter.shape)} for '{target}'");
            }

            if (!DTypeCompatible(info.DType, parameter.dtype))
            {
                errors.Add($"tensor '{name}' in {info.File} has dtype {info.DType}, which cannot be loaded into the {parameter.dtype} entry '{target}' (supported: Float32, Float16, BFloat16, Float64)");
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidDataException($"{checkpoint.Source}: {string.Join("; ", errors.Take(MaxListed))}{(errors.Count > MaxListed ? $"; and {errors.Count - MaxListed} more" : string.Empty)}");
        }

        if (targets.Values.Any(t => t.device_type == DeviceType.META))
        {
            return 0;
        }

        // Tensors of the parameter's dtype are mapped (mapWeights) or read straight into its storage (one copy, from the
        // file); others are read into a temporary and converted by copy_. Every parameter is checked for NaN and infinities.
        using var noGrad = no_grad();
        foreach (var (target, name) in assignment)
        {
            var parameter = targets[target];
            var converted = false;
            if (!(mapWeights && checkpoint.TryMapInto(name, parameter)) && !checkpoint.TryReadInto(name, parameter))
            {
                using var source = checkpoint.Read(name);
                if (TensorValues.NonFiniteCount(source) is > 0 and var stored)
                {
                    throw new InvalidDataException($"{checkpoint.Source}: tensor '{name}' in {checkpoint.Describe(name).File} holds {stored} NaN or infinite value(s)");
                }

                parameter.copy_(source);
                converted = source.dtype != parameter.dtype;
            }

            if (TensorValues.NonFiniteCount(parameter) is > 0 and var bad)
            {
                throw new InvalidDataException(converted
                    ? $"{checkpoint.Source}: tensor '{name}' in {checkpoint.Describe(name).File} overflows {parameter.dtype} in {bad} value(s); load it in a wider dtype"
                    : $"{checkpoint.Source}: tensor '{name}' in {checkpoint.Describe(name).File} holds {bad} NaN or infinite value(s)");
            }
        }

        return assignment.Count;
    }

    private static bool DTypeCompatible(ScalarType stored, ScalarType target) =>
        IsFloat(target) ? IsFloat(stored) : stored == target;

    private static bool IsFloat(ScalarType t) =>
        t is ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float64;

    private static string List(IEnumerable<string> names)
    {
        var all = names.ToList();
        var shown = string.Join(", ", all.Take(MaxListed));
        return all.Count > MaxListed ? $"{shown}, ... and {all.Count - MaxListed} more" : shown;
    }
}
