using NetLlm.Abstractions.Plugins;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Hosting.Packaging;

/// <summary>
/// A plugin ready to be installed: the folder of files that will become <c>&lt;plugins&gt;/&lt;Name&gt;/</c> (a build
/// output or plugin folder given directly, or the <c>lib/&lt;framework&gt;/</c> folder of a NuGet package extracted to
/// a temporary folder) and its main assembly — the one assembly at the top of that folder that declares a
/// <see cref="NetLlmPluginAttribute"/>. Dispose it to delete the temporary folder.
/// </summary>
public sealed class PluginSource : IDisposable
{
    private readonly string? _temporary;

    private PluginSource(string origin, string directory, string? temporary, string mainAssembly, PluginManifest manifest)
    {
        Origin = origin;
        Directory = directory;
        _temporary = temporary;
        MainAssembly = mainAssembly;
        Manifest = manifest;
    }

    /// <summary>The package or folder given.</summary>
    public string Origin { get; }

    /// <summary>The folder whose files are installed.</summary>
    public string Directory { get; }

    /// <summary>Full path of the main assembly inside <see cref="Directory"/>.</summary>
    public string MainAssembly { get; }

    /// <summary>File name of the main assembly without extension: the plugin's folder name once installed.</summary>
    public string Name => Path.GetFileNameWithoutExtension(MainAssembly);

    /// <summary>The manifest of the main assembly (not yet validated).</summary>
    public PluginManifest Manifest { get; }

    /// <summary>
    /// Opens a <c>.nupkg</c> file or a folder. Throws <see cref="FileNotFoundException"/> when the path does not exist,
    /// <see cref="ArgumentException"/> for a file that is not a .nupkg, and <see cref="InvalidDataException"/> naming
    /// the package or folder when it holds no plugin assembly or several.
    /// </summary>
    /// <param name="path">A .nupkg file or a folder holding the plugin assembly.</param>
    public static PluginSource Open(string path)
    {
        var full = Path.GetFullPath(path);
        if (System.IO.Directory.Exists(full))
        {
            var (main, manifest) = FindMainAssembly(full, full);
            return new PluginSource(full, full, null, main, manifest);
        }

        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"{full}: no such package or folder", full);
        }

        if (!full.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{full}: not a NuGet package (.nupkg) or a folder; pass the package `dotnet pack` wrote or the plugin's build output folder");
        }

        var temporary = System.IO.Directory.CreateTempSubdirectory("netllm-install-").FullName;
        try
        {
            NuGetPackageContent.ExtractLib(full, temporary);
            var (main, manifest) = FindMainAssembly(temporary, full);
            return new PluginSource(full, temporary, temporary, main, manifest);
        }
        catch
        {
            System.IO.Directory.Delete(temporary, recursive: true);
            throw;
        }
    }

    /// <summary>Every file to install, relative to <see cref="Directory"/>.</summary>
    public IReadOnlyList<string> Files() =>
        System.IO.Directory.GetFiles(Directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Directory, f))
            .Where(f => !f.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <inheritdoc />
    public void Dispose()
    {
        if (_temporary is not null && System.IO.Directory.Exists(_temporary))
        {
            System.IO.Directory.Delete(_temporary, recursive: true);
        }
    }

    private static (string Path, PluginManifest Manifest) FindMainAssembly(string directory, string origin)
    {
        var found = new List<(string, PluginManifest)>();
        foreach (var dll in System.IO.Directory.GetFiles(directory, "*.dll").Order(StringComparer.Ordinal))
        {
            PluginManifest? manifest;
            try
            {
                manifest = ManifestReader.Read(dll);
            }
            catch (BadImageFormatException)
            {
                continue; // a native library shipped next to the plugin
            }

            if (manifest is not null)
            {
                found.Add((dll, manifest));
            }
        }

        return found.Count switch
        {
            1 => found[0],
            0 => throw new InvalidDataException($"{origin}: no assembly declares a NetLlm plugin manifest ([assembly: NetLlmPlugin(id, kind, version)]); give the plugin's .nupkg or its build output folder (bin/<Configuration>/net10.0)"),
            _ => throw new InvalidDataException($"{origin}: {found.Count} assemblies declare a plugin manifest ({string.Join(", ", found.Select(f => Path.GetFileName(f.Item1)))}); a plugin folder holds exactly one plugin"),
        };
    }
}
