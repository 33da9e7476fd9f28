namespace NetLlm.Abstractions.Plugins;

/// <summary>A plugin's manifest as the host read it.</summary>
/// <param name="Id">Unique plugin id.</param>
/// <param name="Kind">What the plugin contributes.</param>
/// <param name="Version">The plugin's own version.</param>
/// <param name="ContractVersion">Contract version the plugin was compiled against.</param>
/// <param name="DependsOn">Ids of plugins it depends on.</param>
/// <param name="Description">One-line description, if any.</param>
/// <param name="SharedReferences">Versions ("major.minor") of the shared NetLlm libraries the plugin references, by assembly name.</param>
public sealed record PluginManifest(
    string Id,
    PluginKind Kind,
    string Version,
    string ContractVersion,
    IReadOnlyList<string> DependsOn,
    string? Description,
    IReadOnlyDictionary<string, string>? SharedReferences = null)
{
    /// <summary>Lower-case kind name as printed by <c>netllm plugins</c>.</summary>
    public string KindName => Kind.ToString().ToLowerInvariant();
}
