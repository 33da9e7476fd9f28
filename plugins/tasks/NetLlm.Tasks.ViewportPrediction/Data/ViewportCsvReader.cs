using System.Globalization;
using System.Text;
using NetLlm.Core.IO;

namespace NetLlm.Tasks.ViewportPrediction.Data;

/// <summary>
/// Reads a viewport trace file: no header, one row per line, four comma-separated numbers
/// <c>playback_time_s, roll, pitch, yaw</c> (degrees). Parses UTF-8 bytes with spans (no string per line).
/// Every problem is an <see cref="InvalidDataException"/> naming the file and the line.
/// </summary>
public static class ViewportCsvReader
{
    /// <summary>The largest trace file read (the shipped ones are under 1 MB).</summary>
    private const int MaxFileBytes = 256 << 20;

    /// <summary>
    /// Default tolerance for time going backwards between consecutive rows, in seconds. Eleven Wu2017 traces have
    /// recording jitter of up to 0.69 s (for example video6/user22 line 2085); larger reversals (a rewind, two
    /// traces concatenated) are rejected.
    /// </summary>
    public const double DefaultTimeTolerance = 1.0;

    /// <summary>The largest accepted |roll|, |pitch| or |yaw| in degrees (the datasets hold -180 to 180; 0 to 360 is accepted too).</summary>
    public const double MaxAbsAngle = 360;

    private static readonly string[] ColumnNames = ["playback_time_s", "roll", "pitch", "yaw"];

    /// <summary>Reads and validates a trace file.</summary>
    /// <param name="path">CSV file.</param>
    /// <param name="timeTolerance">Largest accepted backward step of the time column, seconds (0 = strictly non-decreasing).</param>
    public static ViewportTrace Read(string path, double timeTolerance = DefaultTimeTolerance)
    {
        byte[] bytes;
        try
        {
            bytes = BoundedFile.ReadAllBytes(path, MaxFileBytes, "a viewport trace is a few MB of CSV");
        }
        catch (FileNotFoundException)
        {
            throw new InvalidDataException($"{path}: viewport trace file not found");
        }
        catch (DirectoryNotFoundException)
        {
            throw new InvalidDataException($"{path}: viewport trace file not found (its folder does not exist)");
        }

        return Parse(bytes, path, timeTolerance);
    }

    /// <summary>Parses trace bytes (UTF-8 CSV) read from <paramref name="path"/>.</summary>
    /// <param name="utf8">File content.</param>
    /// <param name="path">Name used in error messages.</param>
    /// <param name="timeTolerance">Largest accepted backward step of the time column, seconds.</param>
    public static ViewportTrace Parse(ReadOnlySpan<byte> utf8, string path, double timeTolerance = DefaultTimeTolerance)
    {
        var estimate = Math.Max(16, utf8.Length / 40);
        var times = new List<float>(estimate);
        var angles = new List<float>(estimate * 3);
        Span<float> row = stackalloc float[4];
        var lineNumber = 0;
        var reversals = 0;
        var previousTime = float.NegativeInfinity;
        var rest = utf8;
        if (rest.StartsWith("\uFEFF"u8))
        {
            rest = rest[3..];
        }

        while (!rest.IsEmpty)
        {
            lineNumber++;
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.Trim((byte)' ').IsEmpty)
            {
                continue;
            }

            ParseRow(line, row, path, lineNumber);
            var time = row[0];
            if (time < previousTime)
            {
                if (previousTime - time > timeTolerance)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"{path}:{lineNumber}: time goes back from {previousTime} s to {time} s (non-monotonic time; tolerance {timeTolerance} s)"));
                }

                reversals++;
            }

            previousTime = Math.Max(previousTime, time);
            times.Add(time);
            angles.Add(row[1]);
            angles.Add(row[2]);
            angles.Add(row[3]);
        }

        if (times.Count == 0)
        {
            throw new InvalidDataException($"{path}: the file has no rows");
        }

        return new ViewportTrace(path, [.. times], [.. angles], reversals);
    }

    private static void ParseRow(ReadOnlySpan<byte> line, Span<float> row, string path, int lineNumber)
    {
        var column = 0;
        var rest = line;
        while (true)
        {
            var comma = rest.IndexOf((byte)',');
            var field = comma < 0 ? rest : rest[..comma];
            if (column >= 4)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected 4 columns ({string.Join(", ", ColumnNames)}), found more");
            }

            field = field.Trim((byte)' ');
            if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new InvalidDataException(
                    $"{path}:{lineNumber}: column {column + 1} ({ColumnNames[column]}): '{Encoding.UTF8.GetString(field)}' is not a number");
            }

            if (!float.IsFinite(value))
            {
                throw new InvalidDataException(
                    $"{path}:{lineNumber}: column {column + 1} ({ColumnNames[column]}): '{Encoding.UTF8.GetString(field)}' is not finite (NaN or infinity)");
            }

            if (column > 0 && Math.Abs(value) > MaxAbsAngle)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{path}:{lineNumber}: column {column + 1} ({ColumnNames[column]}): {Encoding.UTF8.GetString(field)} is not an angle in degrees within ±{MaxAbsAngle} (the datasets use -180 to 180; the error metric wraps at 360 and would be meaningless)"));
            }

            row[column++] = value;
            if (comma < 0)
            {
                break;
            }

            rest = rest[(comma + 1)..];
        }

        if (column < 4)
        {
            throw new InvalidDataException(
                $"{path}:{lineNumber}: expected 4 columns ({string.Join(", ", ColumnNames)}), found {column} (missing {string.Join(", ", ColumnNames[column..])})");
        }
    }
}
