using System.Globalization;
using System.IO.Compression;

namespace NetLlm.Hosting.Packaging;

/// <summary>
/// The part of a NuGet package (a zip file) that a plugin installation needs: the files of the best
/// <c>lib/&lt;framework&gt;/</c> folder for this runtime — the highest <c>netX.Y</c> not newer than the running .NET,
/// else <c>netstandard2.1</c>, else <c>netstandard2.0</c>. Platform-specific folders (<c>net10.0-windows</c>) and
/// .NET Framework folders are ignored.
/// </summary>
public static class NuGetPackageContent
{
    /// <summary>
    /// Extracts the chosen <c>lib/&lt;framework&gt;/</c> folder of <paramref name="packagePath"/> into
    /// <paramref name="destination"/> (sub-folders kept) and returns the framework folder name. Throws
    /// <see cref="InvalidDataException"/> naming the package when it is not a zip, has no usable lib folder, or holds
    /// an entry that would escape the destination.
    /// </summary>
    /// <param name="packagePath">The .nupkg file.</param>
    /// <param name="destination">An existing, empty folder.</param>
    public static string ExtractLib(string packagePath, string destination)
    {
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(packagePath);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{packagePath}: not a NuGet package (not a valid zip file: {e.Message})", e);
        }

        using (archive)
        {
            var frameworks = archive.Entries
                .Select(e => e.FullName.Replace('\\', '/'))
                .Where(n => n.StartsWith("lib/", StringComparison.OrdinalIgnoreCase) && n.Count(c => c == '/') >= 2)
                .Select(n => n.Split('/')[1])
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            var chosen = Choose(frameworks) ?? throw new InvalidDataException(frameworks.Count == 0
                ? $"{packagePath}: the package has no lib/ folder, so it holds no plugin assembly (pack the plugin project itself with `dotnet pack`)"
                : $"{packagePath}: no lib/ folder for .NET {Environment.Version.Major}.{Environment.Version.Minor} (found: {string.Join(", ", frameworks.Select(f => "lib/" + f))})");
            var prefix = "lib/" + chosen + "/";
            var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
            foreach (var entry in archive.Entries)
            {
                var name = entry.FullName.Replace('\\', '/');
                if (!name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || name.EndsWith('/'))
                {
                    continue;
                }

                var target = Path.GetFullPath(Path.Combine(root, name[prefix.Length..]));
                if (!target.StartsWith(root, StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{packagePath}: entry '{entry.FullName}' points outside the package folder");
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target, overwrite: false);
            }

            return chosen;
        }
    }

    /// <summary>The framework folder to install from among <paramref name="frameworks"/>, or null when none fits.</summary>
    /// <param name="frameworks">Folder names under <c>lib/</c>, for example <c>net10.0</c> or <c>netstandard2.0</c>.</param>
    public static string? Choose(IEnumerable<string> frameworks)
    {
        var runtime = new Version(Environment.Version.Major, Environment.Version.Minor);
        string? best = null;
        var bestRank = (Version?)null;
        foreach (var framework in frameworks)
        {
            var rank = Rank(framework);
            if (rank is null || rank > runtime)
            {
                continue;
            }

            if (bestRank is null || rank > bestRank)
            {
                best = framework;
                bestRank = rank;
            }
        }

        return best;
    }

    /// <summary>
    /// Orders framework folders: <c>netX.Y</c> ranks as X.Y, <c>netstandard2.1</c> below any netX.Y (as 0.21) and
    /// <c>netstandard2.0</c> below that (0.20); anything else is not installable (null).
    /// </summary>
    private static Version? Rank(string framework)
    {
        var f = framework.ToLowerInvariant();
        if (f == "netstandard2.1")
        {
            return new Version(0, 21);
        }

        if (f == "netstandard2.0")
        {
            return new Version(0, 20);
        }

        if (!f.StartsWith("net", StringComparison.Ordinal) || f.Contains('-', StringComparison.Ordinal))
        {
            return null;
        }

        var parts = f[3..].Split('.');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            && major >= 5
            ? new Version(major, minor)
            : null;
    }
}
