using NetLlm.Abstractions.Plugins;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Hosting.Packaging;

/// <summary>One plugin folder of a plugins directory, with its manifest when it could be read.</summary>
/// <param name="Folder">The plugin folder.</param>
/// <param name="Manifest">Its manifest, or null when the folder holds no readable plugin assembly.</param>
public sealed record InstalledPlugin(string Folder, PluginManifest? Manifest);

/// <summary>Reads the manifests of the plugins in one plugins directory (without loading them).</summary>
public static class InstalledPlugins
{
    /// <summary>
    /// Every plugin folder of <paramref name="pluginsDirectory"/> (<c>&lt;Name&gt;/&lt;Name&gt;.dll</c>, hidden folders
    /// skipped), sorted by name. A folder whose assembly is missing or unreadable is listed with a null manifest.
    /// </summary>
    /// <param name="pluginsDirectory">The plugins directory (missing means empty).</param>
    public static IReadOnlyList<InstalledPlugin> List(string pluginsDirectory)
    {
        var result = new List<InstalledPlugin>();
        foreach (var (folder, assembly) in PluginDirectories.Enumerate([pluginsDirectory]))
        {
            PluginManifest? manifest = null;
            if (File.Exists(assembly))
            {
                try
                {
                    manifest = ManifestReader.Read(assembly);
                }
                catch (Exception e) when (e is BadImageFormatException or InvalidDataException or IOException)
                {
                    manifest = null;
                }
            }

            result.Add(new InstalledPlugin(folder, manifest));
        }

        return result;
    }
}
