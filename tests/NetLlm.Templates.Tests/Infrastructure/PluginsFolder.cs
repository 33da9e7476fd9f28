using System.IO.Compression;

namespace NetLlm.Templates.Tests.Infrastructure;

/// <summary>A temporary folder for plugin roots and hand-made packages; deleted on dispose.</summary>
internal sealed class PluginsFolder : IDisposable
{
    public PluginsFolder()
    {
        Root = Directory.CreateTempSubdirectory("netllm-install-").FullName;
        Plugins = Path.Combine(Root, "plugins");
    }

    /// <summary>The temporary folder.</summary>
    public string Root { get; }

    /// <summary>The plugins directory installations go to (not created up front).</summary>
    public string Plugins { get; }

    /// <summary>
    /// Writes a .nupkg (a zip) whose <c>lib/&lt;framework&gt;/</c> folders hold the files of fixture plugins, plus a
    /// nuspec; returns its path.
    /// </summary>
    /// <param name="name">Package file name without extension.</param>
    /// <param name="libraries">Framework folder to fixture plugin name.</param>
    /// <param name="extraEntries">Further entries (name to text content).</param>
    public string Package(string name, IReadOnlyDictionary<string, string> libraries, IReadOnlyDictionary<string, string>? extraEntries = null)
    {
        var path = Path.Combine(Root, name + ".nupkg");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        WriteText(zip, name + ".nuspec", "<package><metadata><id>" + name + "</id><version>1.0.0</version></metadata></package>");
        foreach (var (framework, fixture) in libraries)
        {
            foreach (var file in Directory.GetFiles(Repository.FixturePlugin(fixture)))
            {
                zip.CreateEntryFromFile(file, $"lib/{framework}/{Path.GetFileName(file)}");
            }
        }

        foreach (var (entry, content) in extraEntries ?? new Dictionary<string, string>())
        {
            WriteText(zip, entry, content);
        }

        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void WriteText(ZipArchive zip, string entry, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(entry).Open());
        writer.Write(content);
    }
}
