using System.Globalization;

namespace Sample.NetLlmDecisionTask.Data;

/// <summary>
/// Reads trace files: plain text, one line per step with the capacities of the three links in Mbit/s separated by
/// spaces, tabs or commas (<c>5.2 1.0 7.75</c>); empty lines and lines starting with <c>#</c> are skipped. Every
/// error names the file and the line.
/// </summary>
public static class LinkTraceReader
{
    /// <summary>File pattern of trace files in a folder.</summary>
    public const string Pattern = "*.txt";

    /// <summary>Reads every trace file of <paramref name="folder"/> (sorted by name).</summary>
    /// <param name="folder">The folder.</param>
    public static IReadOnlyList<LinkTrace> LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"trace folder {folder} does not exist");
        }

        var files = Directory.GetFiles(folder, Pattern).Order(StringComparer.Ordinal).ToList();
        return files.Count == 0
            ? throw new FileNotFoundException($"trace folder {folder} holds no {Pattern} file")
            : files.Select(LoadFile).ToList();
    }

    /// <summary>Reads one trace file; throws <see cref="InvalidDataException"/> naming file and line.</summary>
    /// <param name="path">The file.</param>
    public static LinkTrace LoadFile(string path)
    {
        var rows = new List<float[]>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var fields = text.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != LinkConstants.Links)
            {
                throw new InvalidDataException($"{path}:{number}: expected {LinkConstants.Links} capacities, found {fields.Length} fields in '{text}'");
            }

            var row = new float[LinkConstants.Links];
            for (var i = 0; i < fields.Length; i++)
            {
                if (!float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out row[i]) || !float.IsFinite(row[i]) || row[i] < 0)
                {
                    throw new InvalidDataException($"{path}:{number}: capacity '{fields[i]}' of link {i} is not a finite non-negative number (Mbit/s)");
                }
            }

            rows.Add(row);
        }

        if (rows.Count <= LinkConstants.History)
        {
            throw new InvalidDataException($"{path}:{number}: {rows.Count} steps; a trace needs at least {LinkConstants.History + 1}");
        }

        return new LinkTrace(Path.GetFileName(path), rows);
    }

    /// <summary>The data requirement's check of one file: null when it reads, else the problem (file and line).</summary>
    /// <param name="path">The file.</param>
    public static string? Validate(string path)
    {
        try
        {
            LoadFile(path);
            return null;
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
    }

    /// <summary>Writes a trace in the file format (for tests and for exporting generated traces).</summary>
    /// <param name="trace">The trace.</param>
    /// <param name="path">The file.</param>
    public static void Write(LinkTrace trace, string path)
    {
        ArgumentNullException.ThrowIfNull(trace);
        using var writer = new StreamWriter(path);
        writer.WriteLine("# capacities of links 0, 1, 2 in Mbit/s, one step per line");
        for (var step = 0; step < trace.Steps; step++)
        {
            writer.WriteLine(string.Join(' ', Enumerable.Range(0, LinkConstants.Links).Select(l => trace.Capacity(step, l).ToString("0.###", CultureInfo.InvariantCulture))));
        }
    }
}
