using System.Reflection;

namespace NetLlm.Transformers.Modeling;

/// <summary>
/// Reads the config presets a backbone plugin embeds as resources with logical names <c>presets/&lt;name&gt;.json</c>.
/// </summary>
public static class PresetCatalog
{
    private const string Prefix = "presets/";

    /// <summary>Preset name to config.json text, for every embedded preset of <paramref name="assembly"/>.</summary>
    /// <param name="assembly">The plugin assembly.</param>
    public static IReadOnlyDictionary<string, string> Load(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            result[name[Prefix.Length..^".json".Length]] = reader.ReadToEnd();
        }

        return result;
    }

    /// <summary>The preset called <paramref name="name"/>; throws naming the known presets.</summary>
    /// <param name="presets">Presets of a family.</param>
    /// <param name="name">Preset name.</param>
    /// <param name="family">Family name for the message.</param>
    public static string Get(IReadOnlyDictionary<string, string> presets, string name, string family)
    {
        ArgumentNullException.ThrowIfNull(presets);
        return presets.TryGetValue(name, out var json)
            ? json
            : throw new KeyNotFoundException($"unknown {family} preset '{name}'; known: {string.Join(", ", presets.Keys)}");
    }
}
