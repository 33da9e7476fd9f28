using System.Text.Json;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Plugins;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// Creates backbones from a local model folder (through the backbone plugin that handles its <c>model_type</c>) or
/// from a built-in preset name (random-initialised with a seed).
/// </summary>
public static class BackboneFactory
{
    /// <summary>
    /// The <c>model_type</c> of a model folder: the <c>model_type</c> key of its config.json, or <c>llama</c> for a
    /// llama2.c checkpoint folder (config.json with a <c>format</c> key starting with "llama2.c").
    /// </summary>
    /// <param name="modelDirectory">Model folder.</param>
    public static string ModelType(string modelDirectory)
    {
        var config = Path.Combine(modelDirectory, "config.json");
        if (!File.Exists(config))
        {
            throw new FileNotFoundException($"{config}: not found; --model must be a folder with a Hugging Face config.json", config);
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(config));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{config}: not valid JSON ({e.Message})", e);
        }

        if (node?["model_type"] is JsonValue v && v.TryGetValue<string>(out var type))
        {
            return type;
        }

        if (node?["format"] is JsonValue f && f.TryGetValue<string>(out var format) && format.StartsWith("llama2.c", StringComparison.Ordinal))
        {
            return "llama";
        }

        throw new InvalidDataException($"{config}: missing key 'model_type'");
    }

    /// <summary>Loads a model folder.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="modelDirectory">Model folder.</param>
    /// <param name="options">Dtype, device, pickle opt-in.</param>
    public static IBackbone FromModel(IPluginRegistry registry, string modelDirectory, BackboneLoadOptions options)
    {
        var provider = registry.GetBackboneForModelType(ModelType(modelDirectory));
        return provider.FromPretrained(modelDirectory, options);
    }

    /// <summary>The provider and config text of a preset; throws listing the presets when unknown.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="preset">Preset name.</param>
    public static (IBackboneProvider Provider, string Config) Preset(IPluginRegistry registry, string preset)
    {
        foreach (var provider in registry.Backbones)
        {
            if (provider.Presets.TryGetValue(preset, out var config))
            {
                return (provider, config);
            }
        }

        var known = registry.Backbones.SelectMany(b => b.Presets.Keys).Order(StringComparer.Ordinal).ToList();
        throw new KeyNotFoundException(known.Count == 0
            ? $"unknown backbone preset '{preset}': no backbone plugin is loaded"
            : $"unknown backbone preset '{preset}'; presets: {string.Join(", ", known)}");
    }

    /// <summary>Builds a preset with random weights drawn from <paramref name="seed"/>.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="preset">Preset name.</param>
    /// <param name="dtype">Compute dtype.</param>
    /// <param name="seed">Initialisation seed.</param>
    public static IBackbone FromPreset(IPluginRegistry registry, string preset, string dtype, int seed)
    {
        var (provider, config) = Preset(registry, preset);
        return provider.FromConfig(config, new BackboneLoadOptions { DType = dtype, RandomInit = true, Seed = seed });
    }
}
