using System.Reflection;
using System.Runtime.Loader;
using NetLlm.Abstractions.Plugins;

namespace NetLlm.Hosting.Plugins;

/// <summary>What the host knows about one plugin assembly, loaded or not.</summary>
public sealed class PluginRecord
{
    internal PluginRecord(string assemblyPath)
    {
        AssemblyPath = assemblyPath;
    }

    /// <summary>Full path of the plugin's main assembly.</summary>
    public string AssemblyPath { get; }

    /// <summary>The manifest, when it could be read.</summary>
    public PluginManifest? Manifest { get; internal set; }

    /// <summary>Loaded or failed.</summary>
    public PluginStatus Status { get; internal set; } = PluginStatus.Failed;

    /// <summary>Why the plugin failed, with the assembly path; null when loaded.</summary>
    public string? Error { get; internal set; }

    /// <summary>Ids of the components the plugin contributed (task ids, policy ids, backbone families, encoder ids).</summary>
    public IReadOnlyList<string> Components { get; internal set; } = [];

    internal PluginComposer.Components? ComponentsFound { get; set; }

    /// <summary>The loaded assembly (null when failed before loading).</summary>
    public Assembly? Assembly { get; internal set; }

    /// <summary>The assembly load context the plugin lives in.</summary>
    public AssemblyLoadContext? LoadContext { get; internal set; }

    internal void Fail(string reason)
    {
        Status = PluginStatus.Failed;
        Error = $"{AssemblyPath}: {reason}";
    }
}
