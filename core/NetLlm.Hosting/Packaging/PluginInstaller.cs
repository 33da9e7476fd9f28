using NetLlm.Core.IO;

namespace NetLlm.Hosting.Packaging;

/// <summary>
/// Installs plugins into a plugins directory and removes them. An installation validates the plugin's manifest and
/// contract version before anything is copied, refuses a plugin id (or folder) that is already installed unless
/// forced, and writes the plugin folder atomically, so the host never sees a half-copied plugin.
/// </summary>
public static class PluginInstaller
{
    /// <summary>
    /// Installs the plugin in <paramref name="source"/> (a .nupkg or a folder) as
    /// <c>&lt;pluginsDirectory&gt;/&lt;Name&gt;/</c>, where Name is its main assembly's name. Throws
    /// <see cref="InvalidDataException"/> for a package without a usable plugin or with an incompatible contract
    /// version, and <see cref="InvalidOperationException"/> when the id or the folder is taken and
    /// <paramref name="force"/> is false.
    /// </summary>
    /// <param name="source">Package file or folder.</param>
    /// <param name="pluginsDirectory">The plugins directory (created when missing).</param>
    /// <param name="force">Replace an installed plugin with the same id or folder name.</param>
    /// <param name="availableIds">
    /// Ids of the plugins the host can load besides those in <paramref name="pluginsDirectory"/> (other plugin roots);
    /// used to warn about dependencies that are not installed.
    /// </param>
    public static PluginInstallResult Install(string source, string pluginsDirectory, bool force = false, IEnumerable<string>? availableIds = null)
    {
        var root = Path.GetFullPath(pluginsDirectory);
        using var plugin = PluginSource.Open(source);
        var manifest = plugin.Manifest;
        PluginManifestValidation.Validate(manifest, plugin.Origin == plugin.Directory ? plugin.MainAssembly : $"{plugin.Origin} ({Path.GetFileName(plugin.MainAssembly)})");

        var target = Path.Combine(root, CheckedFolderName(plugin.Name, plugin.Origin));
        if (IsSameFolder(plugin.Directory, target))
        {
            throw new InvalidOperationException($"{plugin.Origin} is already the installed plugin folder {target}");
        }

        var installed = InstalledPlugins.List(root);
        var sameId = installed.Where(p => p.Manifest?.Id == manifest.Id).ToList();
        var sameFolder = installed.FirstOrDefault(p => IsSameFolder(p.Folder, target));
        if (!force)
        {
            if (sameId.Count > 0)
            {
                var other = sameId[0];
                throw new InvalidOperationException($"plugin '{manifest.Id}' is already installed in {other.Folder} (version {other.Manifest!.Version}); pass --force to replace it with version {manifest.Version} from {plugin.Origin}");
            }

            if (sameFolder is not null || Directory.Exists(target))
            {
                var holds = sameFolder?.Manifest is { } m ? $"plugin '{m.Id}'" : "files that are not a readable plugin";
                throw new InvalidOperationException($"folder {target} already exists and holds {holds}; pass --force to replace it");
            }
        }

        var warnings = new List<string>();
        var known = new HashSet<string>(availableIds ?? [], StringComparer.Ordinal);
        known.UnionWith(installed.Where(p => p.Manifest is not null && !sameId.Contains(p)).Select(p => p.Manifest!.Id));
        foreach (var dependency in manifest.DependsOn.Where(d => !known.Contains(d)))
        {
            warnings.Add($"plugin '{manifest.Id}' depends on plugin '{dependency}', which is not installed; it will not load until '{dependency}' is");
        }

        var files = plugin.Files();
        AtomicFile.WriteDirectory(target, temp =>
        {
            foreach (var relative in files)
            {
                var to = Path.Combine(temp, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(Path.Combine(plugin.Directory, relative), to);
            }
        });

        var replaced = new List<string>();
        if (sameFolder is not null || sameId.Any(p => IsSameFolder(p.Folder, target)))
        {
            replaced.Add(target);
        }

        foreach (var old in sameId.Where(p => !IsSameFolder(p.Folder, target)))
        {
            DeleteFolder(old.Folder);
            replaced.Add(old.Folder);
        }

        return new PluginInstallResult(manifest, target, files.Count, replaced, warnings);
    }

    /// <summary>
    /// Deletes the plugin with id <paramref name="id"/> from <paramref name="pluginsDirectory"/>. The folder is first
    /// renamed to a hidden name (which the host skips) and then deleted. Throws <see cref="KeyNotFoundException"/>
    /// listing the installed ids when none has that id.
    /// </summary>
    /// <param name="id">Plugin id, for example <c>task.bandwidth</c>.</param>
    /// <param name="pluginsDirectory">The plugins directory.</param>
    public static PluginRemoveResult Remove(string id, string pluginsDirectory)
    {
        var root = Path.GetFullPath(pluginsDirectory);
        var installed = InstalledPlugins.List(root);
        var match = installed.FirstOrDefault(p => p.Manifest?.Id == id);
        if (match is null)
        {
            var ids = installed.Where(p => p.Manifest is not null).Select(p => p.Manifest!.Id).Order(StringComparer.Ordinal).ToList();
            throw new KeyNotFoundException(ids.Count == 0
                ? $"no plugin '{id}' in {root}: it holds no plugins"
                : $"no plugin '{id}' in {root}; installed: {string.Join(", ", ids)}");
        }

        var dependents = installed
            .Where(p => p != match && p.Manifest is not null && p.Manifest.DependsOn.Contains(id, StringComparer.Ordinal))
            .Select(p => $"plugin '{p.Manifest!.Id}' depends on '{id}' and will not load without it")
            .ToList();
        DeleteFolder(match.Folder);
        return new PluginRemoveResult(match.Manifest!, match.Folder, dependents);
    }

    /// <summary>
    /// The plugin folder is named after the main assembly: a name that is empty, a dot or two, starts with a dot
    /// (hidden, and the installer's own temporary names) or holds a path separator or a character outside
    /// letters, digits, '.', '-' and '_' could leave the plugins directory (<c>..dll</c> would name its parent), so it
    /// is refused before anything is copied or deleted.
    /// </summary>
    /// <param name="name">The main assembly's file name without extension.</param>
    /// <param name="origin">The package or folder, for the message.</param>
    public static string CheckedFolderName(string name, string origin)
    {
        var valid = name.Length is > 0 and <= 200
            && name[0] != '.'
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
        return valid
            ? name
            : throw new InvalidDataException($"{origin}: the plugin assembly name '{name}' cannot name a plugin folder (use letters, digits, '.', '-' and '_', not starting with '.')");
    }

    private static void DeleteFolder(string folder)
    {
        var parent = Path.GetDirectoryName(folder)!;
        var hidden = Path.Combine(parent, "." + Path.GetFileName(folder) + "." + Guid.NewGuid().ToString("N")[..8] + ".removed");
        Directory.Move(folder, hidden);
        Directory.Delete(hidden, recursive: true);
    }

    private static bool IsSameFolder(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);
}
