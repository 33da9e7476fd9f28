namespace NetLlm.Abstractions;

/// <summary>
/// Version of the plugin contract (the assembly version of the shared NetLlm libraries). The host reads the versions a
/// plugin was compiled against from its assembly references and loads it only when the major versions are equal and
/// the plugin's minor version is not newer than the host's.
/// </summary>
public static class ContractInfo
{
    /// <summary>The contract version, "major.minor".</summary>
    public const string Version = "2.1";

    /// <summary>
    /// The libraries plugins compile against and share with the host; their assembly version (major.minor) is
    /// <see cref="Version"/>, and the host checks a plugin's references to them before loading it.
    /// </summary>
    public static IReadOnlyList<string> SharedAssemblies { get; } = ["NetLlm.Abstractions", "NetLlm.Core", "NetLlm.Transformers"];

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
