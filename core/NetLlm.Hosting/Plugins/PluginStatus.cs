namespace NetLlm.Hosting.Plugins;

/// <summary>Outcome of loading one plugin assembly.</summary>
public enum PluginStatus
{
    /// <summary>Loaded and composed; its components are registered.</summary>
    Loaded,

    /// <summary>Not loaded; <see cref="PluginRecord.Error"/> says why.</summary>
    Failed,
}
