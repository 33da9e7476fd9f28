namespace NetLlm.Testing;

/// <summary>
/// A small golden-file helper: compares text with a file kept next to the tests. With <c>NETLLM_UPDATE_GOLDEN=1</c>
/// the file is (re)written instead, and the comparison passes; a missing golden file is an error otherwise.
/// </summary>
public static class GoldenFile
{
    /// <summary>Compares <paramref name="actual"/> with the golden file; returns null when equal, else a diff summary.</summary>
    /// <param name="path">Golden file path.</param>
    /// <param name="actual">Actual text (line endings normalised to \n).</param>
    public static string? Compare(string path, string actual)
    {
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("NETLLM_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, actual);
            return null;
        }

        if (!File.Exists(path))
        {
            return $"golden file {path} does not exist (run the tests with NETLLM_UPDATE_GOLDEN=1 to create it)";
        }

        var expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected == actual)
        {
            return null;
        }

        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var el = i < e.Length ? e[i] : "<end>";
            var al = i < a.Length ? a[i] : "<end>";
            if (el != al)
            {
                return $"{path} line {i + 1}: expected '{el}' but got '{al}'";
            }
        }

        return $"{path}: differs";
    }
}
