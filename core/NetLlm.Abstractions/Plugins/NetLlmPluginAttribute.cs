namespace NetLlm.Abstractions.Plugins;

/// <summary>
/// The plugin manifest, declared once per plugin assembly:
/// <c>[assembly: NetLlmPlugin("abr", PluginKind.Task, "1.0.0", DependsOn = new[] { "encoders.standard" })]</c>.
/// The host reads it from the assembly metadata before running any of the plugin's code.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false, Inherited = false)]
public sealed class NetLlmPluginAttribute : Attribute
{
    /// <summary>Declares the manifest.</summary>
    /// <param name="id">Unique, lower-case, dotted plugin id (for example <c>backbone.llama</c>).</param>
    /// <param name="kind">What the plugin contributes.</param>
    /// <param name="version">The plugin's own semantic version.</param>
    public NetLlmPluginAttribute(string id, PluginKind kind, string version)
    {
        Id = id;
        Kind = kind;
        Version = version;
    }

    /// <summary>Unique plugin id.</summary>
    public string Id { get; }

    /// <summary>What the plugin contributes.</summary>
    public PluginKind Kind { get; }

    /// <summary>The plugin's own version.</summary>
    public string Version { get; }

    /// <summary>
    /// Normally left unset: the host reads the contract version from the versions of the NetLlm assemblies the plugin
    /// was compiled against. A plugin may declare a version to refuse hosts older than what it needs ("major.minor").
    /// </summary>
    public string? ContractVersion { get; set; }

    /// <summary>Ids of plugins whose types this plugin uses; they are loaded first and shared with it.</summary>
    public string[] DependsOn { get; set; } = [];

    /// <summary>One-line description.</summary>
    public string? Description { get; set; }
}
