using NetLlm.Abstractions.Tasks;
using NetLlm.Hosting.Data;

namespace NetLlm.Hosting.Data.Fetch;

/// <summary>Checks a file on disk against its manifest entry.</summary>
public static class DownloadVerifier
{
    /// <summary>True when <paramref name="path"/> exists with the entry's size and SHA-256.</summary>
    /// <param name="path">File.</param>
    /// <param name="file">Manifest entry.</param>
    public static bool Matches(string path, DataFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var info = new FileInfo(path);
        return info.Exists && info.Length == file.Size && DataCheck.Sha256Of(path) == file.Sha256;
    }
}
