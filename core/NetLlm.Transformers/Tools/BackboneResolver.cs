using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Plugins;
using NetLlm.Transformers.Config;

namespace NetLlm.Transformers.Tools;

/// <summary>
/// Turns what a user types after <c>--model</c> into a loaded backbone: a local model folder (the family is chosen by
/// config.json's <c>model_type</c>; a llama2.c folder, whose config.json has a <c>format</c> key, goes to the
/// <c>llama</c> family) or the name of a preset (random weights, seeded by <see cref="BackboneLoadOptions.Seed"/>).
/// </summary>
public static class BackboneResolver
{
    /// <summary>Loads <paramref name="model"/>; the caller owns (disposes) the result.</summary>
    /// <param name="registry">Registry with the backbone providers.</param>
    /// <param name="model">Model folder or preset name (optionally <c>family/preset</c>).</param>
    /// <param name="options">Dtype, device, pickle opt-in, seed.</param>
    public static IBackbone Load(IPluginRegistry registry, string model, BackboneLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentNullException.ThrowIfNull(options);
        if (Directory.Exists(model))
        {
            var configPath = Path.Combine(model, "config.json");
            var config = HfConfigReader.ParseFile(configPath);
            var modelType = HfConfigReader.ModelType(config, configPath)
                ?? (config.ContainsKey("format") ? "llama" : throw new InvalidDataException($"{configPath}: no 'model_type' key; cannot tell which backbone family loads this folder"));
            return registry.GetBackboneForModelType(modelType).FromPretrained(model, options);
        }

        var (provider, json) = FindPreset(registry, model);
        return provider.FromConfig(json, options with { RandomInit = true });
    }

    /// <summary>Every preset as <c>family/name</c>.</summary>
    /// <param name="registry">Registry with the backbone providers.</param>
    public static IReadOnlyList<string> PresetNames(IPluginRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Backbones.SelectMany(b => b.Presets.Keys.Select(k => $"{b.Family}/{k}")).Order(StringComparer.Ordinal).ToList();
    }

    private static (IBackboneProvider Provider, string Json) FindPreset(IPluginRegistry registry, string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var family = slash > 0 ? name[..slash] : null;
        var preset = slash > 0 ? name[(slash + 1)..] : name;
        var matches = registry.Backbones
            .Where(b => family is null || b.Family == family)
            .Where(b => b.Presets.ContainsKey(preset))
            .ToList();
        return matches.Count switch
        {
            1 => (matches[0], matches[0].Presets[preset]),
            0 => throw new DirectoryNotFoundException($"'{name}' is neither a model folder nor a preset; presets: {string.Join(", ", PresetNames(registry))}"),
            _ => throw new ArgumentException($"preset '{name}' exists in several families ({string.Join(", ", matches.Select(m => m.Family))}); write family/preset"),
        };
    }
}
