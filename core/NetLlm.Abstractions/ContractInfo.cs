namespace NetLlm.Abstractions;

/// <summary>
/// Version of the plugin contract defined by this assembly. A plugin records the version it was compiled
/// against in its <see cref="Plugins.NetLlmPluginAttribute"/>; the host loads it only when the major versions
/// are equal and the plugin's minor version is not newer than the host's.
/// </summary>
public static class ContractInfo
{
    /// <summary>The contract version, "major.minor".</summary>
    public const string Version = "1.0";

    /// <summary>
    /// True when a plugin compiled against <paramref name="pluginContractVersion"/> can run on this contract.
    /// </summary>
    /// <param name="pluginContractVersion">The version the plugin declares, "major.minor".</param>
    public static bool IsCompatible(string pluginContractVersion)
    {
        if (!TryParse(pluginContractVersion, out var major, out var minor) || !TryParse(Version, out var hostMajor, out var hostMinor))
        {
            return false;
        }

        return major == hostMajor && minor <= hostMinor;
    }

    private static bool TryParse(string value, out int major, out int minor)
    {
        major = minor = 0;
        var parts = value.Split('.');
        return parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out major)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out minor);
    }
}
