namespace NetLlm.Backbones.Tests;

/// <summary>A temporary folder deleted on dispose; model folders are assembled in it from symbolic links to fixtures.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("netllm-bb-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Links <paramref name="files"/> of <paramref name="sourceDir"/> into this folder (no copy).</summary>
    public TempDirectory Link(string sourceDir, params string[] files)
    {
        foreach (var f in files)
        {
            System.IO.File.CreateSymbolicLink(File(f), System.IO.Path.Combine(sourceDir, f));
        }

        return this;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
