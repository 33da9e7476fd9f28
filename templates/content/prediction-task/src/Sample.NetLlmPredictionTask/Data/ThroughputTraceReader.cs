using System.Globalization;

namespace Sample.NetLlmPredictionTask.Data;

/// <summary>
/// Reads throughput traces in the Pensieve "cooked" format used by the ABR traces of the data root
/// (<c>abr/traces/...</c>): one sample per line, <c>&lt;time_s&gt; &lt;throughput_Mbps&gt;</c> separated by a tab or
/// spaces. Times must increase; throughputs must be finite and not negative. Errors name the file and line.
/// </summary>
public static class ThroughputTraceReader
{
    /// <summary>The largest throughput accepted, in Mbit/s (also the upper bound of observation and answer spaces).</summary>
    public const float MaxMbps = 100_000f;

    /// <summary>Reads one trace file.</summary>
    /// <param name="path">The file.</param>
    public static ThroughputTrace Read(string path)
    {
        var times = new List<double>();
        var mbps = new List<float>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var time)
                || !float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected '<time_s> <throughput_Mbps>', got '{line.Trim()}'");
            }

            if (!double.IsFinite(time) || (times.Count > 0 && time <= times[^1]))
            {
                throw new InvalidDataException($"{path}:{lineNumber}: time {time.ToString(CultureInfo.InvariantCulture)} does not increase");
            }

            if (!float.IsFinite(value) || value < 0 || value > MaxMbps)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: throughput {value.ToString(CultureInfo.InvariantCulture)} Mbps is outside [0, {MaxMbps.ToString(CultureInfo.InvariantCulture)}]");
            }

            times.Add(time);
            mbps.Add(value);
        }

        if (mbps.Count == 0)
        {
            throw new InvalidDataException($"{path}: no samples");
        }

        return new ThroughputTrace(Path.GetFileName(path), times, mbps);
    }

    /// <summary>
    /// Reads every trace file of a folder in ordinal name order (files ending in <c>.pkl</c> or <c>.json</c> are
    /// skipped, as the ABR folders hold such side files), at most <paramref name="limit"/> of them when positive.
    /// </summary>
    /// <param name="folder">The folder.</param>
    /// <param name="limit">Maximum number of files, or 0 for all.</param>
    public static IReadOnlyList<ThroughputTrace> ReadFolder(string folder, int limit = 0)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"trace folder '{folder}' does not exist");
        }

        var files = Directory.GetFiles(folder)
            .Where(f => !f.EndsWith(".pkl", StringComparison.OrdinalIgnoreCase) && !f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (limit > 0)
        {
            files = files.Take(limit).ToList();
        }

        if (files.Count == 0)
        {
            throw new InvalidDataException($"{folder}: no trace files");
        }

        return files.Select(Read).ToList();
    }

    /// <summary>The data requirement's check of one file: null when it reads, else the problem (file and line).</summary>
    /// <param name="path">The file.</param>
    public static string? Validate(string path)
    {
        if (path.EndsWith(".pkl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            Read(path);
            return null;
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
    }
}
