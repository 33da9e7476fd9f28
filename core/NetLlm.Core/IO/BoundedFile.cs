using System.Text;

namespace NetLlm.Core.IO;

/// <summary>
/// Reads a data file whole, but never more than a limit: a path that is a link to <c>/dev/zero</c> or a FIFO, or a
/// file far larger than its format allows, is refused naming the file instead of reading without end.
/// </summary>
public static class BoundedFile
{
    /// <summary>The bytes of <paramref name="path"/>; throws <see cref="InvalidDataException"/> when it holds more than <paramref name="maxBytes"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The largest file accepted.</param>
    /// <param name="what">What the file is, for the message (for example <c>a chunk-size file has 49 short lines</c>).</param>
    public static byte[] ReadAllBytes(string path, int maxBytes, string what)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (stream.CanSeek && stream.Length > maxBytes)
        {
            throw TooLarge(path, maxBytes, what);
        }

        var buffer = new byte[Math.Min(maxBytes + 1L, stream.CanSeek && stream.Length > 0 ? stream.Length + 1 : maxBytes + 1L)];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read > maxBytes || (read == buffer.Length && stream.ReadByte() >= 0))
        {
            throw TooLarge(path, maxBytes, what);
        }

        return buffer.AsSpan(0, read).ToArray();
    }

    /// <summary>The text (UTF-8) of <paramref name="path"/>, bounded as <see cref="ReadAllBytes"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The largest file accepted.</param>
    /// <param name="what">What the file is, for the message.</param>
    public static string ReadAllText(string path, int maxBytes, string what) =>
        new UTF8Encoding(false).GetString(ReadAllBytes(path, maxBytes, what));

    /// <summary>The lines of <paramref name="path"/> as <see cref="File.ReadLines(string)"/> splits them, bounded as <see cref="ReadAllBytes"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The largest file accepted.</param>
    /// <param name="what">What the file is, for the message.</param>
    public static IEnumerable<string> ReadLines(string path, int maxBytes, string what)
    {
        var text = ReadAllText(path, maxBytes, what);
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    private static InvalidDataException TooLarge(string path, int maxBytes, string what) =>
        new($"{path}: larger than {maxBytes} bytes ({what}), or a device that never ends");
}
