namespace NetLlm.Core.IO;

/// <summary>
/// Writes files and folders so that a reader never sees a half-written one: content goes to a temporary name in the
/// same folder, is flushed to disk, then renamed over the destination.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <param name="path">Destination.</param>
    /// <param name="write">Writes the content to the stream.</param>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes text atomically (UTF-8, no byte-order mark).</summary>
    /// <param name="path">Destination.</param>
    /// <param name="text">Content.</param>
    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            var bytes = new System.Text.UTF8Encoding(false).GetBytes(text);
            s.Write(bytes);
        });

    /// <summary>
    /// Builds a folder atomically: <paramref name="fill"/> writes into a temporary sibling folder which then replaces
    /// <paramref name="directory"/> (the old folder, if any, is removed only after the new one is complete).
    /// </summary>
    /// <param name="directory">Destination folder.</param>
    /// <param name="fill">Writes the folder's content into the given path.</param>
    public static void WriteDirectory(string directory, Action<string> fill)
    {
        var full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        var name = Path.GetFileName(full);
        var temp = Path.Combine(parent, "." + name + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        var old = Path.Combine(parent, "." + name + "." + Guid.NewGuid().ToString("N")[..8] + ".old");
        Directory.CreateDirectory(temp);
        try
        {
            fill(temp);
            if (Directory.Exists(full))
            {
                Directory.Move(full, old);
            }

            Directory.Move(temp, full);
            if (Directory.Exists(old))
            {
                Directory.Delete(old, recursive: true);
            }
        }
        catch
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            if (!Directory.Exists(full) && Directory.Exists(old))
            {
                Directory.Move(old, full);
            }

            throw;
        }
    }

    /// <summary>
    /// Repairs what a process killed inside <see cref="WriteDirectory"/> left behind. The swap moves the old folder
    /// aside (<c>.name.*.old</c>) only after the new one (<c>.name.*.tmp</c>) is complete, so when
    /// <paramref name="directory"/> is missing the newest complete temporary folder is the latest content and becomes
    /// the folder (else the old one is moved back); leftover temporary and old folders are removed.
    /// </summary>
    /// <param name="directory">Destination folder of earlier <see cref="WriteDirectory"/> calls.</param>
    /// <param name="isComplete">True for a folder whose content is whole (for example: it holds its last file).</param>
    /// <returns>True when a missing folder was restored.</returns>
    public static bool RecoverDirectory(string directory, Func<string, bool> isComplete)
    {
        ArgumentNullException.ThrowIfNull(isComplete);
        var full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(parent))
        {
            return false;
        }

        var name = Path.GetFileName(full);
        var temps = Directory.GetDirectories(parent, "." + name + ".*.tmp").OrderByDescending(Directory.GetLastWriteTimeUtc).ToList();
        var olds = Directory.GetDirectories(parent, "." + name + ".*.old").OrderByDescending(Directory.GetLastWriteTimeUtc).ToList();
        var restored = false;
        if (!Directory.Exists(full))
        {
            var source = temps.FirstOrDefault(isComplete) ?? olds.FirstOrDefault(isComplete);
            if (source is not null)
            {
                Directory.Move(source, full);
                restored = true;
            }
        }

        foreach (var leftover in temps.Concat(olds).Where(Directory.Exists))
        {
            Directory.Delete(leftover, recursive: true);
        }

        return restored;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
