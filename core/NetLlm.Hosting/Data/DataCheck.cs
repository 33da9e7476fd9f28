using System.Security.Cryptography;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Hosting.Data;

/// <summary>Result of checking one <see cref="DataRequirement"/>.</summary>
/// <param name="Task">Task id.</param>
/// <param name="Path">Full path checked.</param>
/// <param name="Status"><c>ok</c>, <c>missing</c>, <c>incomplete</c>, <c>corrupt</c> (size or checksum differ) or <c>invalid</c> (format).</param>
/// <param name="Found">Files found (1 or 0 for a single file).</param>
/// <param name="Expected">Files expected at least.</param>
/// <param name="Required">False for optional data.</param>
/// <param name="Detail">The first problem (naming the file and line), or where to get the data.</param>
/// <param name="Bad">Files found that failed a check.</param>
public sealed record DataCheckItem(string Task, string Path, string Status, int Found, int Expected, bool Required, string? Detail, int Bad = 0);

/// <summary>
/// Checks a data root against the requirements the loaded tasks declare: every file of a requirement, against its size
/// and SHA-256 when the task's manifest lists it, and with the task's format check.
/// </summary>
public static class DataCheck
{
    /// <summary>Checks every requirement of every task.</summary>
    /// <param name="dataRoot">Data root.</param>
    /// <param name="tasks">Task ids with their requirements.</param>
    public static IReadOnlyList<DataCheckItem> Run(string dataRoot, IEnumerable<(string Task, IReadOnlyList<DataRequirement> Requirements)> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return [.. tasks.SelectMany(t => t.Requirements.Select(r => Check(dataRoot, t.Task, r)))];
    }

    /// <summary>True when every required item of <paramref name="requirements"/> is present (counts only; no checksums).</summary>
    /// <param name="dataRoot">Data root, or null.</param>
    /// <param name="requirements">A task's requirements.</param>
    public static bool Present(string? dataRoot, IReadOnlyList<DataRequirement> requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        if (dataRoot is null || !Directory.Exists(dataRoot))
        {
            return false;
        }

        return requirements.Where(r => r.Required).All(r =>
        {
            var path = System.IO.Path.Combine(dataRoot, r.RelativePath);
            return r.Pattern is null ? File.Exists(path) : Directory.Exists(path) && Files(path, r).Count >= r.MinimumCount;
        });
    }

    /// <summary>Lower-case hex SHA-256 of a file's content.</summary>
    /// <param name="path">File.</param>
    public static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static DataCheckItem Check(string root, string taskId, DataRequirement req)
    {
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, req.RelativePath));
        var known = req.Files.ToDictionary(f => System.IO.Path.GetFullPath(System.IO.Path.Combine(root, f.Path)), StringComparer.Ordinal);
        if (req.Pattern is null)
        {
            if (!File.Exists(path))
            {
                return new DataCheckItem(taskId, path, "missing", 0, 1, req.Required, req.Source);
            }

            var problem = CheckFile(path, known, req);
            return problem is null
                ? new DataCheckItem(taskId, path, "ok", 1, 1, req.Required, null)
                : new DataCheckItem(taskId, path, problem.Value.Status, 1, 1, req.Required, problem.Value.Detail, 1);
        }

        if (!Directory.Exists(path))
        {
            return new DataCheckItem(taskId, path, "missing", 0, req.MinimumCount, req.Required, req.Source);
        }

        var files = Files(path, req);
        var absent = known.Keys.Where(k => !File.Exists(k)).Order(StringComparer.Ordinal).ToList();
        if (files.Count < req.MinimumCount || absent.Count > 0)
        {
            var detail = absent.Count > 0
                ? $"{absent.Count} listed file(s) missing, first {absent[0]}; {req.Source}"
                : $"expected at least {req.MinimumCount} files matching '{req.Pattern}'{(req.Recursive ? " (in sub-folders too)" : string.Empty)}; {req.Source}";
            return new DataCheckItem(taskId, path, "incomplete", files.Count, Math.Max(req.MinimumCount, known.Count), req.Required, detail);
        }

        var bad = 0;
        (string Status, string Detail)? first = null;
        foreach (var file in files)
        {
            var problem = CheckFile(file, known, req);
            if (problem is not null)
            {
                bad++;
                first ??= problem;
            }
        }

        return first is { } f
            ? new DataCheckItem(taskId, path, f.Status, files.Count, req.MinimumCount, req.Required, bad > 1 ? $"{f.Detail} (and {bad - 1} more bad file(s))" : f.Detail, bad)
            : new DataCheckItem(taskId, path, "ok", files.Count, req.MinimumCount, req.Required, null);
    }

    private static List<string> Files(string folder, DataRequirement req) =>
        [.. Directory.EnumerateFiles(folder, req.Pattern!, req.Recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal)];

    private static (string Status, string Detail)? CheckFile(string file, Dictionary<string, DataFile> known, DataRequirement req)
    {
        try
        {
            if (known.TryGetValue(file, out var entry))
            {
                var size = new FileInfo(file).Length;
                if (size != entry.Size)
                {
                    return ("corrupt", $"{file}: {size} bytes, the manifest says {entry.Size}");
                }

                if (Sha256Of(file) != entry.Sha256)
                {
                    return ("corrupt", $"{file}: SHA-256 differs from the manifest's");
                }
            }

            return req.Validate?.Invoke(file) is { } problem ? ("invalid", problem) : null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException or ArgumentException)
        {
            return ("invalid", $"{file}: {e.Message}");
        }
    }
}
