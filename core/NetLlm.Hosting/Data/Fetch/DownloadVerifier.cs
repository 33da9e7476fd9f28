using System.Security.Cryptography;

namespace NetLlm.Hosting.Data.Fetch;

/// <summary>Checks a file on disk against its manifest entry.</summary>
public static class DownloadVerifier
{
    /// <summary>Lower-case hex SHA-256 of a file's content.</summary>
    /// <param name="path">File.</param>
    public static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>True when <paramref name="path"/> exists with the entry's size and SHA-256.</summary>
    /// <param name="path">File.</param>
    /// <param name="file">Manifest entry.</param>
    public static bool Matches(string path, DatasetFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var info = new FileInfo(path);
        return info.Exists && info.Length == file.Size && Sha256Of(path) == file.Sha256;
    }
}
