namespace NetLlm.Testing;

/// <summary>A fresh folder under the system temp folder for one test, deleted (best effort) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the folder.</summary>
    /// <param name="prefix">Name prefix (helps to find leftovers).</param>
    public TempDirectory(string prefix = "netllm-tests-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The path of <paramref name="name"/> inside the folder (nothing is created).</summary>
    /// <param name="name">Relative path.</param>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> (creating subfolders) and returns its path.</summary>
    /// <param name="name">Relative path.</param>
    /// <param name="content">Text.</param>
    public string File(string name, string content)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Links <paramref name="files"/> of <paramref name="sourceDir"/> into this folder (symbolic links, no copy).</summary>
    /// <param name="sourceDir">Folder holding the files.</param>
    /// <param name="files">File names.</param>
    public TempDirectory Link(string sourceDir, params string[] files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var f in files)
        {
            System.IO.File.CreateSymbolicLink(File(f), System.IO.Path.Combine(sourceDir, f));
        }

        return this;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the folder is under the temp folder.
        }
    }
}
