using NetLlm.Abstractions.Tasks;

namespace NetLlm.Hosting.Data;

/// <summary>Result of checking one <see cref="DataRequirement"/>.</summary>
/// <param name="Task">Task id.</param>
/// <param name="Path">Full path checked.</param>
/// <param name="Status"><c>ok</c>, <c>missing</c>, <c>incomplete</c> or <c>invalid</c>.</param>
/// <param name="Found">Files found (1 or 0 for a single file).</param>
/// <param name="Expected">Files expected at least.</param>
/// <param name="Required">False for optional data.</param>
/// <param name="Detail">Problem or hint (where to get the data).</param>
public sealed record DataCheckItem(string Task, string Path, string Status, int Found, int Expected, bool Required, string? Detail);

/// <summary>Checks a data root against the requirements the loaded tasks declare.</summary>
public static class DataCheck
{
    /// <summary>How many files per folder are format-checked (a sample; loaders validate everything when used).</summary>
    public const int SampledFiles = 3;

    /// <summary>Checks every requirement of every task.</summary>
    /// <param name="dataRoot">Data root.</param>
    /// <param name="tasks">Loaded tasks.</param>
    public static IReadOnlyList<DataCheckItem> Run(string dataRoot, IEnumerable<ITaskDefinition> tasks)
    {
        var items = new List<DataCheckItem>();
        foreach (var task in tasks)
        {
            foreach (var req in task.DataRequirements)
            {
                items.Add(Check(dataRoot, task.Id, req));
            }
        }

        return items;
    }

    private static DataCheckItem Check(string root, string taskId, DataRequirement req)
    {
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, req.RelativePath));
        if (req.Pattern is null)
        {
            if (!File.Exists(path))
            {
                return new DataCheckItem(taskId, path, "missing", 0, 1, req.Required, req.Source);
            }

            var problem = SafeValidate(req, path);
            return new DataCheckItem(taskId, path, problem is null ? "ok" : "invalid", 1, 1, req.Required, problem);
        }

        if (!Directory.Exists(path))
        {
            return new DataCheckItem(taskId, path, "missing", 0, req.MinimumCount, req.Required, req.Source);
        }

        var files = Directory.GetFiles(path, req.Pattern).Order(StringComparer.Ordinal).ToList();
        if (files.Count < req.MinimumCount)
        {
            return new DataCheckItem(taskId, path, "incomplete", files.Count, req.MinimumCount, req.Required, $"expected at least {req.MinimumCount} files matching '{req.Pattern}'; {req.Source}");
        }

        foreach (var file in files.Take(SampledFiles))
        {
            var problem = SafeValidate(req, file);
            if (problem is not null)
            {
                return new DataCheckItem(taskId, path, "invalid", files.Count, req.MinimumCount, req.Required, problem);
            }
        }

        return new DataCheckItem(taskId, path, "ok", files.Count, req.MinimumCount, req.Required, null);
    }

    private static string? SafeValidate(DataRequirement req, string file)
    {
        if (req.Validate is null)
        {
            return null;
        }

        try
        {
            return req.Validate(file);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
        {
            return $"{file}: {e.Message}";
        }
    }
}
