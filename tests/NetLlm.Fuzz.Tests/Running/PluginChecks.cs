using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetLlm.Fuzz.Tests.Running;

/// <summary>The plugin-folder oracle: a damaged plugin beside the shipped ones may fail, but never take one of them down.</summary>
public static class PluginChecks
{
    /// <summary>Null when every plugin folder of <paramref name="bundledPlugins"/> has a loaded entry in the listing.</summary>
    public static string? EveryShippedPluginLoads(CommandResult result, string bundledPlugins)
    {
        JsonArray listing;
        try
        {
            listing = JsonNode.Parse(result.Out) as JsonArray ?? throw new JsonException("not a JSON array");
        }
        catch (JsonException e)
        {
            return "exit 0 but the plugin listing is not a JSON array: " + e.Message;
        }

        var loaded = listing.OfType<JsonObject>()
            .Where(p => (string?)p["status"] == "loaded")
            .Select(p => Path.GetDirectoryName((string?)p["assembly"] ?? string.Empty))
            .ToHashSet(StringComparer.Ordinal);
        var missing = Directory.GetDirectories(bundledPlugins).Where(d => !loaded.Contains(d)).ToList();
        return missing.Count == 0 ? null : $"exit 0 but shipped plugin(s) did not load: {string.Join(", ", missing.Select(Path.GetFileName))}";
    }
}
