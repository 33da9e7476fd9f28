using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Plugins;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// Creates backbones through the registry: from a local model folder (the one backbone family whose
/// <see cref="IBackboneProvider.CanLoad"/> claims it), or from a preset name (<c>preset</c> or <c>family/preset</c>;
/// none for the preset a family marks as default), random-initialised with a seed. Errors name the folder or preset
/// and what is available; two families claiming the same folder or preset is an error naming both.
/// </summary>
public static class BackboneFactory
{
    /// <summary>The family that loads <paramref name="modelDirectory"/>.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="modelDirectory">Model folder.</param>
    public static IBackboneProvider ProviderFor(IPluginRegistry registry, string modelDirectory)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        if (!Directory.Exists(modelDirectory))
        {
            throw new DirectoryNotFoundException($"model folder '{modelDirectory}' does not exist");
        }

        var config = Path.Combine(modelDirectory, "config.json");
        if (!File.Exists(config))
        {
            throw new FileNotFoundException($"{config}: not found; a model folder holds a Hugging Face config.json", config);
        }

        var claims = registry.Backbones.Where(b => b.CanLoad(modelDirectory)).ToList();
        return claims.Count switch
        {
            1 => claims[0],
            0 => throw new InvalidDataException(
                $"{config}: no loaded backbone family loads this folder (its model_type is not one of {string.Join(", ", registry.Backbones.SelectMany(b => b.ModelTypes).Order(StringComparer.Ordinal))}; see `netllm plugins`)"),
            _ => throw new InvalidDataException($"{modelDirectory}: several backbone families claim this folder ({string.Join(", ", claims.Select(c => c.Family))})"),
        };
    }

    /// <summary>Loads a model folder; the caller owns the result.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="modelDirectory">Model folder.</param>
    /// <param name="options">Dtype, device, pickle opt-in.</param>
    public static IBackbone FromModel(IPluginRegistry registry, string modelDirectory, BackboneLoadOptions options) =>
        ProviderFor(registry, modelDirectory).FromPretrained(modelDirectory, options);

    /// <summary>Every preset as <c>family/name</c>.</summary>
    /// <param name="registry">Loaded plugins.</param>
    public static IReadOnlyList<string> PresetNames(IPluginRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Backbones.SelectMany(b => b.Presets.Keys.Select(k => $"{b.Family}/{k}")).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The provider, plain name and config text of a preset (<c>name</c> or <c>family/name</c>; null for the default
    /// preset). Throws <see cref="KeyNotFoundException"/> listing the presets, or <see cref="ArgumentException"/> when
    /// the name is ambiguous or several families declare a default.
    /// </summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="preset">Preset name, or null.</param>
    public static (IBackboneProvider Provider, string Name, string Config) Preset(IPluginRegistry registry, string? preset)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (preset is null)
        {
            var defaults = registry.Backbones.Where(b => b.DefaultPreset is not null).ToList();
            return defaults.Count switch
            {
                1 when defaults[0].Presets.TryGetValue(defaults[0].DefaultPreset!, out var text) => (defaults[0], defaults[0].DefaultPreset!, text),
                1 => throw new InvalidOperationException($"backbone family '{defaults[0].Family}' names default preset '{defaults[0].DefaultPreset}', which it does not have"),
                0 => throw new ArgumentException($"no backbone given and no loaded backbone family declares a default preset; name a model folder or a preset (presets: {string.Join(", ", PresetNames(registry))})"),
                _ => throw new ArgumentException($"several backbone families declare a default preset ({string.Join(", ", defaults.Select(d => $"{d.Family}/{d.DefaultPreset}"))}); name the preset"),
            };
        }

        var slash = preset.IndexOf('/', StringComparison.Ordinal);
        var family = slash > 0 ? preset[..slash] : null;
        var name = slash > 0 ? preset[(slash + 1)..] : preset;
        var matches = registry.Backbones.Where(b => (family is null || b.Family == family) && b.Presets.ContainsKey(name)).ToList();
        return matches.Count switch
        {
            1 => (matches[0], name, matches[0].Presets[name]),
            0 => throw new KeyNotFoundException(registry.Backbones.Count == 0
                ? $"unknown backbone preset '{preset}': no backbone plugin is loaded"
                : $"unknown backbone preset '{preset}'; presets: {string.Join(", ", PresetNames(registry))}"),
            _ => throw new ArgumentException($"backbone preset '{preset}' exists in several families ({string.Join(", ", matches.Select(m => m.Family))}); write family/{name}"),
        };
    }

    /// <summary>Builds a preset with random weights drawn from <paramref name="seed"/>; the caller owns the result.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="preset">Preset name, or null for the default.</param>
    /// <param name="dtype">Compute dtype.</param>
    /// <param name="seed">Initialisation seed.</param>
    public static IBackbone FromPreset(IPluginRegistry registry, string? preset, string dtype, int seed)
    {
        var (provider, _, config) = Preset(registry, preset);
        return provider.FromConfig(config, new BackboneLoadOptions { DType = dtype, RandomInit = true, Seed = seed });
    }

    /// <summary>The architecture of model folder <paramref name="modelDirectory"/> with seeded random weights (its weights are not read).</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="modelDirectory">Model folder (its config).</param>
    /// <param name="dtype">Compute dtype.</param>
    /// <param name="seed">Seed of the weights.</param>
    public static IBackbone FromModelShape(IPluginRegistry registry, string modelDirectory, string dtype, int seed)
    {
        var provider = ProviderFor(registry, modelDirectory);
        return provider.FromConfig(provider.ReadConfig(modelDirectory), new BackboneLoadOptions { DType = dtype, RandomInit = true, Seed = seed });
    }

    /// <summary>
    /// Loads <paramref name="model"/>: an existing folder as a checkpoint, anything else as a preset name (random
    /// weights seeded by <see cref="BackboneLoadOptions.Seed"/>). The caller owns the result.
    /// </summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="model">Model folder or preset name (optionally <c>family/preset</c>).</param>
    /// <param name="options">Dtype, device, pickle opt-in, seed.</param>
    public static IBackbone Load(IPluginRegistry registry, string model, BackboneLoadOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentNullException.ThrowIfNull(options);
        if (Directory.Exists(model))
        {
            return FromModel(registry, model, options);
        }

        if (!registry.Backbones.Any(b => b.Presets.ContainsKey(model[(model.IndexOf('/', StringComparison.Ordinal) + 1)..])))
        {
            throw new DirectoryNotFoundException($"'{model}' is neither a model folder nor a preset; presets: {string.Join(", ", PresetNames(registry))}");
        }

        var (provider, _, config) = Preset(registry, model);
        return provider.FromConfig(config, options with { RandomInit = true });
    }
}
