using NetLlm.Abstractions;
using NetLlm.Abstractions.Plugins;

namespace NetLlm.Hosting.Plugins;

/// <summary>
/// The contract-version gate: a plugin loads when the contract it declares (if any) and every shared NetLlm library it
/// was compiled against (NetLlm.Abstractions, NetLlm.Core, NetLlm.Transformers) have this host's major version and a
/// minor version not newer than the host's.
/// </summary>
public static class ContractCheck
{
    /// <summary>Why the plugin cannot load here, or null when it can.</summary>
    /// <param name="manifest">The plugin's manifest (as read from its metadata).</param>
    public static string? Problem(PluginManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var major = ContractInfo.Version.Split('.')[0];
        var accepted = $"this host implements contract {ContractInfo.Version} and loads plugins built against {major}.0 to {ContractInfo.Version}";
        if (!ContractInfo.IsCompatible(manifest.ContractVersion))
        {
            return $"plugin '{manifest.Id}' declares contract {manifest.ContractVersion}; {accepted} (rebuild it against the NetLlm packages {ContractInfo.Version})";
        }

        foreach (var (assembly, version) in manifest.SharedReferences ?? new Dictionary<string, string>())
        {
            if (!ContractInfo.IsCompatible(version))
            {
                return $"plugin '{manifest.Id}' was built against {assembly} {version}; {accepted} (rebuild it against the NetLlm packages {ContractInfo.Version})";
            }
        }

        return null;
    }
}
