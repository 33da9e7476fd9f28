using System.Globalization;
using NetLlm.Core.IO;

namespace NetLlm.Tasks.AdaptiveBitrate.Data;

/// <summary>
/// Reads bandwidth traces in the Pensieve "cooked" text format: one sample per line, <c>&lt;time_s&gt;
/// &lt;Mbps&gt;</c> separated by white space (further columns are ignored, as the original does). A folder is read in
/// ordinal (Python <c>sorted</c>) file-name order, skipping hidden files and <c>*.pkl</c> files, as the original's
/// <c>load_traces</c> does; sub-folders are not read. Bad input throws <see cref="InvalidDataException"/> naming the
/// file and line; a folder reports every bad file at once.
/// </summary>
public static class TraceLoader
{
    /// <summary>The largest trace file read (the shipped ones are under 100 KB).</summary>
    private const int MaxTraceBytes = 64 << 20;

    /// <summary>Reads one trace file.</summary>
    /// <param name="path">Trace file.</param>
    /// <param name="group">Set name recorded on the trace; defaults to the name of the file's folder.</param>
    public static BandwidthTrace LoadFile(string path, string? group = null)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: trace file not found", path);
        }

        var folder = group ?? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? string.Empty;
        return Parse(path, BoundedFile.ReadLines(path, MaxTraceBytes, "a trace is a few thousand short lines"), folder);
    }

    /// <summary>Reads every trace of a folder; throws one exception listing every bad file.</summary>
    /// <param name="directory">Trace folder.</param>
    /// <param name="maxTraces">Read only the first traces in sorted order (all when null).</param>
    public static IReadOnlyList<BandwidthTrace> LoadDirectory(string directory, int? maxTraces = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: trace folder not found");
        }

        var full = Path.GetFullPath(directory);
        var group = Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
        var files = TraceFiles(full);
        if (maxTraces is { } max && max < files.Count)
        {
            files = files.Take(Math.Max(max, 0)).ToList();
        }

        if (files.Count == 0)
        {
            throw new InvalidDataException($"{directory}: no trace files (every file is hidden or *.pkl, or the folder is empty)");
        }

        var traces = new List<BandwidthTrace>(files.Count);
        var errors = new List<string>();
        foreach (var file in files)
        {
            try
            {
                traces.Add(Parse(file, BoundedFile.ReadLines(file, MaxTraceBytes, "a trace is a few thousand short lines"), group));
            }
            catch (InvalidDataException e)
            {
                errors.Add(e.Message);
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidDataException(
                $"{directory}: {errors.Count} of {files.Count} trace files are invalid:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", errors));
        }

        return traces;
    }

    /// <summary>The trace files of a folder in the order the original reads them.</summary>
    /// <param name="directory">Trace folder.</param>
    public static IReadOnlyList<string> TraceFiles(string directory) =>
        Directory.EnumerateFiles(directory)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".pkl", StringComparison.Ordinal))
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToList();

    /// <summary>Parses trace text; errors name <paramref name="source"/> and the line.</summary>
    /// <param name="source">File path or description used in messages.</param>
    /// <param name="lines">The lines of the file.</param>
    /// <param name="group">Set name recorded on the trace.</param>
    public static BandwidthTrace Parse(string source, IEnumerable<string> lines, string group)
    {
        var times = new List<double>();
        var mbps = new List<double>();
        var lineNumbers = new List<int>();
        var number = 0;
        var blankAt = 0;
        foreach (var raw in lines)
        {
            number++;
            var fields = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                blankAt = blankAt == 0 ? number : blankAt;
                continue;
            }

            if (blankAt != 0)
            {
                throw new InvalidDataException($"{source}:{blankAt}: blank line inside the trace");
            }

            if (fields.Length < 2)
            {
                throw new InvalidDataException($"{source}:{number}: expected '<time_s> <Mbps>', got '{raw.Trim()}'");
            }

            times.Add(ParseNumber(source, number, fields[0], "time"));
            mbps.Add(ParseNumber(source, number, fields[1], "bandwidth"));
            lineNumbers.Add(number);
        }

        if (times.Count == 0)
        {
            throw new InvalidDataException($"{source}: empty trace file (no samples)");
        }

        var problem = BandwidthTrace.Validate(times, mbps, lineNumbers);
        if (problem is not null)
        {
            var prefix = problem.StartsWith("line ", StringComparison.Ordinal) ? $"{source}:{problem[5..]}" : $"{source}: {problem}";
            throw new InvalidDataException(prefix);
        }

        return new BandwidthTrace(Path.GetFileName(source), group, times, mbps, source);
    }

    private static double ParseNumber(string source, int line, string text, string what)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new InvalidDataException($"{source}:{line}: {what} '{text}' is not a number");
        }

        if (!double.IsFinite(value))
        {
            throw new InvalidDataException($"{source}:{line}: {what} '{text}' is not a finite number");
        }

        return value;
    }
}
