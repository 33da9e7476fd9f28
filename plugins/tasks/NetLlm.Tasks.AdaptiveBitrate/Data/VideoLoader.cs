using System.Globalization;
using System.Text.RegularExpressions;
using NetLlm.Core.IO;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Data;

/// <summary>
/// Reads a chunk-size table folder: files <c>video_size_0</c> … <c>video_size_5</c>, one per quality level, each
/// with <see cref="AbrConstants.ChunkSizeLines"/> lines holding a chunk size in bytes (first white-space field, as the
/// original reads it). Errors name the file and line; every bad file of the folder is reported at once.
/// </summary>
public static partial class VideoLoader
{
    /// <summary>File name prefix of the level files.</summary>
    public const string FilePrefix = "video_size_";

    /// <summary>Reads a table folder.</summary>
    /// <param name="directory">Folder holding <c>video_size_0</c> … <c>video_size_5</c>.</param>
    public static AbrVideo LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: video folder not found");
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var errors = new List<string>();
        var levelFiles = Directory.EnumerateFiles(full)
            .Select(Path.GetFileName)
            .Where(n => n is not null && n.StartsWith(FilePrefix, StringComparison.Ordinal))
            .Select(n => n!)
            .ToList();
        foreach (var name in levelFiles)
        {
            var match = LevelFileName().Match(name);
            if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level >= AbrConstants.BitrateLevels)
            {
                errors.Add($"{Path.Combine(full, name)}: mismatched levels: the bitrate ladder has {AbrConstants.BitrateLevels} levels ({FilePrefix}0 to {FilePrefix}{AbrConstants.BitrateLevels - 1}), this file is not one of them");
            }
        }

        var sizes = new List<IReadOnlyList<long>>();
        for (var level = 0; level < AbrConstants.BitrateLevels; level++)
        {
            var path = Path.Combine(full, FilePrefix + level.ToString(CultureInfo.InvariantCulture));
            if (!File.Exists(path))
            {
                errors.Add($"{path}: missing (mismatched levels: the ladder has {AbrConstants.BitrateLevels} levels)");
                sizes.Add([]);
                continue;
            }

            sizes.Add(ReadLevel(path, errors));
        }

        if (errors.Count == 0)
        {
            for (var chunk = 0; chunk < AbrConstants.ChunkSizeLines; chunk++)
            {
                for (var level = 1; level < AbrConstants.BitrateLevels; level++)
                {
                    if (sizes[level][chunk] < sizes[level - 1][chunk])
                    {
                        errors.Add(
                            $"{Path.Combine(full, FilePrefix + level.ToString(CultureInfo.InvariantCulture))}:{chunk + 1}: mismatched levels: {sizes[level][chunk]} bytes, " +
                            $"smaller than {sizes[level - 1][chunk]} bytes at level {level - 1} (sizes must not decrease with the level)");
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidDataException($"{directory}: invalid chunk-size table:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
        }

        return new AbrVideo(Path.GetFileName(full), sizes);
    }

    private static List<long> ReadLevel(string path, List<string> errors)
    {
        var values = new List<long>();
        var number = 0;
        var firstError = errors.Count;
        var text = BoundedFile.ReadAllText(path, MaxFileBytes, $"a chunk-size file has {AbrConstants.ChunkSizeLines} short lines");
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } raw)
        {
            number++;
            var fields = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                errors.Add($"{path}:{number}: blank line (expected a chunk size in bytes)");
                continue;
            }

            if (!long.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes))
            {
                errors.Add($"{path}:{number}: '{fields[0]}' is not an integer number of bytes");
                continue;
            }

            if (bytes <= 0)
            {
                errors.Add($"{path}:{number}: chunk size {bytes} is not positive");
                continue;
            }

            if (bytes > AbrVideo.MaxChunkBytes)
            {
                errors.Add($"{path}:{number}: chunk size {bytes} is more than {AbrVideo.MaxChunkBytes} bytes (a 4-second chunk of {AbrVideo.MaxChunkBytes * 8 / 4 / 1_000_000_000} Gbit/s video)");
                continue;
            }

            values.Add(bytes);
        }

        if (number != AbrConstants.ChunkSizeLines)
        {
            errors.Add($"{path}: {number} lines, expected {AbrConstants.ChunkSizeLines} ({AbrConstants.TotalChunks} chunks + 1)");
        }

        return errors.Count > firstError ? [] : values;
    }

    /// <summary>The largest chunk-size file read (the real ones are about 400 bytes).</summary>
    private const int MaxFileBytes = 1 << 20;

    [GeneratedRegex("^video_size_([0-9]+)$")]
    private static partial Regex LevelFileName();
}
