namespace NetLlm.Testing;

/// <summary>
/// Where tests find the shared data and fixtures: <c>NETLLM_DATA_ROOT</c> / <c>NETLLM_SHARED_ROOT</c> when set,
/// otherwise the <c>shared</c> folder next to the repository (found by walking up from the test assembly to the
/// folder holding <c>NetLlm.Extensible.sln</c>).
/// </summary>
public static class TestPaths
{
    private static readonly Lazy<string?> Repo = new(FindRepoRoot);

    /// <summary>The repository root, or null when the tests run outside a checkout.</summary>
    public static string? RepoRoot => Repo.Value;

    /// <summary>The shared folder (data, fixtures, models, docs).</summary>
    public static string SharedRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("NETLLM_SHARED_ROOT");
            if (!string.IsNullOrEmpty(env))
            {
                return Path.GetFullPath(env);
            }

            var data = Environment.GetEnvironmentVariable("NETLLM_DATA_ROOT");
            if (!string.IsNullOrEmpty(data))
            {
                return Path.GetFullPath(Path.Combine(data, ".."));
            }

            return RepoRoot is { } root
                ? Path.GetFullPath(Path.Combine(root, "..", "shared"))
                : throw new InvalidOperationException("Cannot find the shared folder: set NETLLM_SHARED_ROOT or NETLLM_DATA_ROOT.");
        }
    }

    /// <summary>The data root (layout of shared/data).</summary>
    public static string DataRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("NETLLM_DATA_ROOT");
            return !string.IsNullOrEmpty(env) ? Path.GetFullPath(env) : Path.Combine(SharedRoot, "data");
        }
    }

    /// <summary>The golden fixtures folder (<c>shared/fixtures</c>).</summary>
    public static string Fixtures => Path.Combine(SharedRoot, "fixtures");

    /// <summary>The shared models folder (<c>shared/models</c>).</summary>
    public static string Models => Path.Combine(SharedRoot, "models");

    /// <summary>A path under the data root, asserting that it exists.</summary>
    /// <param name="relative">Relative path, for example <c>abr/traces/test/fcc-test</c>.</param>
    public static string Data(string relative)
    {
        var path = Path.Combine(DataRoot, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"test data not found: {path} (set NETLLM_DATA_ROOT to the data folder)", path);
        }

        return path;
    }

    private static string? FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetLlm.Extensible.sln")))
            {
                return dir.FullName;
            }

            dir = dir.Parent;
        }

        return null;
    }
}
