namespace NetLlm.Testing;

/// <summary>
/// Where tests find data and fixtures.
/// <list type="bullet">
/// <item><description>The <b>data root</b> (layout of <c>shared/data</c>: <c>abr/</c>, <c>cjs/</c>, <c>vp/</c>, as
/// <c>netllm data fetch</c> fills it): <c>NETLLM_DATA_ROOT</c> when set, else <c>NETLLM_SHARED_ROOT/data</c>, else the
/// <c>shared/data</c> folder next to the repository (found by walking up from the test assembly to the folder holding
/// <c>NetLlm.Extensible.sln</c>). Tests that need it are marked <see cref="DataFactAttribute"/> /
/// <see cref="DataTheoryAttribute"/> and are skipped, naming the command that gets the data, when it is absent.
/// A data root named by <c>NETLLM_DATA_ROOT</c> that does not exist is an error (<see cref="DataRoot"/> throws), never
/// a reason to skip.</description></item>
/// <item><description><b>Fixtures</b> (small inputs: golden checkpoints, a tiny model, a few traces):
/// <see cref="Fixture"/> prefers the copy shipped in the repository under <c>tests/fixtures/</c> and falls back to the
/// shared folder (<c>shared/fixtures/</c>, <c>shared/</c>). <see cref="FixtureData"/> is a small data root shipped
/// under <c>tests/fixtures/data/</c> with the layout of the real one.</description></item>
/// </list>
/// </summary>
public static class TestPaths
{
    /// <summary>The environment variable naming the data root.</summary>
    public const string DataRootVariable = "NETLLM_DATA_ROOT";

    /// <summary>The environment variable naming the shared folder (data, fixtures, models).</summary>
    public const string SharedRootVariable = "NETLLM_SHARED_ROOT";

    private static readonly Lazy<string?> Repo = new(FindRepoRoot);

    /// <summary>The repository root, or null when the tests run outside a checkout.</summary>
    public static string? RepoRoot => Repo.Value;

    /// <summary>The shared folder (data, fixtures, models).</summary>
    public static string SharedRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable(SharedRootVariable);
            if (!string.IsNullOrEmpty(env))
            {
                return Path.GetFullPath(env);
            }

            var data = Environment.GetEnvironmentVariable(DataRootVariable);
            if (!string.IsNullOrEmpty(data))
            {
                return Path.GetFullPath(Path.Combine(data, ".."));
            }

            return RepoRoot is { } root
                ? Path.GetFullPath(Path.Combine(root, "..", "shared"))
                : throw new InvalidOperationException($"Cannot find the shared folder: set {SharedRootVariable} or {DataRootVariable}.");
        }
    }

    /// <summary>
    /// The data root (layout of shared/data). Throws when <c>NETLLM_DATA_ROOT</c> (or <c>NETLLM_SHARED_ROOT</c>) names
    /// a folder that does not exist, so that a misconfigured run fails instead of skipping its data tests.
    /// </summary>
    public static string DataRoot
    {
        get
        {
            var (root, configuredBy) = ResolveDataRoot();
            if (configuredBy is not null && !Directory.Exists(root))
            {
                throw new DirectoryNotFoundException($"{configuredBy} is set but the data root {root} does not exist: fix or unset {configuredBy} (see docs/testing.md)");
            }

            return root;
        }
    }

    /// <summary>
    /// Whether the data root was named explicitly (<c>NETLLM_DATA_ROOT</c> or <c>NETLLM_SHARED_ROOT</c>) rather than
    /// found next to the repository.
    /// </summary>
    public static bool DataRootIsConfigured => ResolveDataRoot().ConfiguredBy is not null;

    /// <summary>The golden fixtures folder (<c>shared/fixtures</c>).</summary>
    public static string Fixtures => Path.Combine(SharedRoot, "fixtures");

    /// <summary>The shared models folder (<c>shared/models</c>).</summary>
    public static string Models => Path.Combine(SharedRoot, "models");

    /// <summary>The fixtures shipped with the repository (<c>tests/fixtures</c>), or null outside a checkout.</summary>
    public static string? RepoFixtures => RepoRoot is { } root ? Path.Combine(root, "tests", "fixtures") : null;

    /// <summary>
    /// The small data root shipped with the repository (<c>tests/fixtures/data</c>): the layout of the real data root
    /// with a few files of each dataset (see its README.md for what is there).
    /// </summary>
    public static string FixtureData => Path.Combine(RepoFixtures ?? throw new InvalidOperationException("tests must run from a checkout to use tests/fixtures"), "data");

    /// <summary>
    /// The data root to read <paramref name="dataset"/> from: the full data root when it holds the dataset (or when
    /// <c>NETLLM_DATA_ROOT</c> is set: then a missing folder fails on <see cref="DataRoot"/>), else the small data root
    /// shipped in <c>tests/fixtures/data</c> (<see cref="FixtureData"/>). Tests written against it must hold on both;
    /// tests that need the full dataset use <see cref="DataFactAttribute"/> and <see cref="DataRoot"/>.
    /// </summary>
    /// <param name="dataset">A dataset folder of the data root: <c>abr</c>, <c>cjs</c> or <c>vp</c>.</param>
    public static string DataRootFor(string dataset) =>
        HasData(dataset) || (DataRootIsConfigured && !Directory.Exists(ResolveDataRoot().Root)) ? DataRoot : FixtureData;

    /// <summary>Whether <see cref="DataRootFor"/> gives the full data root for <paramref name="dataset"/> (not the fixtures').</summary>
    /// <param name="dataset">A dataset folder of the data root.</param>
    public static bool HasFullData(string dataset) => HasData(dataset);

    /// <summary>A path under the data root, asserting that it exists.</summary>
    /// <param name="relative">Relative path, for example <c>abr/traces/test/fcc-test</c>.</param>
    public static string Data(string relative)
    {
        var path = Path.Combine(DataRoot, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"test data not found: {path} (set {DataRootVariable} to the data folder; see docs/testing.md)", path);
        }

        return path;
    }

    /// <summary>
    /// A fixture file or folder: the repository's copy under <c>tests/fixtures/</c> when there is one, else the shared
    /// folder's (<c>shared/fixtures/</c>, then <c>shared/</c>); throws naming every place looked at when neither has it.
    /// </summary>
    /// <param name="relative">Relative path, for example <c>golden/gpt2</c> or <c>models/stories260K</c>.</param>
    public static string Fixture(string relative) =>
        TryFixture(relative) ?? throw new FileNotFoundException($"fixture '{relative}' not found in {string.Join(" or ", FixtureCandidates(relative))} (see docs/testing.md)", relative);

    /// <summary>Like <see cref="Fixture"/>, but null when the fixture is nowhere.</summary>
    /// <param name="relative">Relative path.</param>
    public static string? TryFixture(string relative) => FixtureCandidates(relative).FirstOrDefault(p => File.Exists(p) || Directory.Exists(p));

    /// <summary>Whether <paramref name="relative"/> exists under the data root (false when there is no data root).</summary>
    /// <param name="relative">Relative path, for example <c>vp</c> or <c>cjs/tpch_json</c>.</param>
    public static bool HasData(string relative)
    {
        var (root, _) = ResolveDataRoot();
        var path = Path.Combine(root, relative);
        return File.Exists(path) || Directory.Exists(path);
    }

    /// <summary>
    /// Why a test that needs <paramref name="requirements"/> under the data root cannot run, or null when it can. A
    /// configured data root that does not exist gives null: the test runs and fails on <see cref="DataRoot"/>.
    /// </summary>
    /// <param name="requirements">Paths relative to the data root (<c>abr</c>, <c>abr/traces/test/fcc-test</c>, ...).</param>
    public static string? MissingDataReason(params string[] requirements)
    {
        var (root, configuredBy) = ResolveDataRoot();
        if (configuredBy is not null && !Directory.Exists(root))
        {
            return null;
        }

        var missing = requirements.Where(r => !File.Exists(Path.Combine(root, r)) && !Directory.Exists(Path.Combine(root, r))).ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var datasets = missing.Select(r => r.Split('/', '\\')[0]).Distinct(StringComparer.Ordinal).ToList();
        var dataset = datasets.Count == 1 ? datasets[0] : "all";
        return configuredBy is not null
            ? $"needs {string.Join(", ", missing)} under the data root {root} ({configuredBy}): run `netllm data fetch --task {dataset} --data-root {root}` (see docs/testing.md)"
            : $"needs the data root ({string.Join(", ", missing)}): run `netllm data fetch --task {dataset} --data-root DIR` and set {DataRootVariable}=DIR (see docs/testing.md)";
    }

    /// <summary>
    /// Why a test that needs <paramref name="data"/> under the data root and the fixtures <paramref name="fixtures"/>
    /// cannot run, or null when it can (also null when a configured data root does not exist: the test runs and fails).
    /// </summary>
    /// <param name="data">Paths relative to the data root.</param>
    /// <param name="fixtures">Fixture paths as <see cref="Fixture"/> takes them.</param>
    public static string? MissingReason(IReadOnlyList<string> data, IReadOnlyList<string> fixtures)
    {
        var (root, configuredBy) = ResolveDataRoot();
        if (configuredBy is not null && !Directory.Exists(root))
        {
            return null;
        }

        return MissingDataReason([.. data]) ?? (fixtures.Count == 0 ? null : MissingFixtureReason([.. fixtures]));
    }

    /// <summary>Why a test that needs the fixtures <paramref name="relative"/> cannot run, or null when it can.</summary>
    /// <param name="relative">Fixture paths as <see cref="Fixture"/> takes them.</param>
    public static string? MissingFixtureReason(params string[] relative)
    {
        var missing = relative.Where(r => TryFixture(r) is null).ToList();
        return missing.Count == 0
            ? null
            : $"needs the shared fixture(s) {string.Join(", ", missing)}, which tests/fixtures does not ship: set {SharedRootVariable} to a folder holding fixtures/ and models/ (or {DataRootVariable} to its data/ folder; see docs/testing.md)";
    }

    private static IEnumerable<string> FixtureCandidates(string relative)
    {
        if (RepoFixtures is { } repo)
        {
            yield return Path.Combine(repo, relative);
        }

        string? shared;
        try
        {
            shared = SharedRoot;
        }
        catch (InvalidOperationException)
        {
            shared = null;
        }

        if (shared is not null)
        {
            yield return Path.Combine(shared, "fixtures", relative);
            yield return Path.Combine(shared, relative);
        }
    }

    private static (string Root, string? ConfiguredBy) ResolveDataRoot()
    {
        var data = Environment.GetEnvironmentVariable(DataRootVariable);
        if (!string.IsNullOrEmpty(data))
        {
            return (Path.GetFullPath(data), DataRootVariable);
        }

        var shared = Environment.GetEnvironmentVariable(SharedRootVariable);
        if (!string.IsNullOrEmpty(shared))
        {
            return (Path.Combine(Path.GetFullPath(shared), "data"), SharedRootVariable);
        }

        return RepoRoot is { } root
            ? (Path.GetFullPath(Path.Combine(root, "..", "shared", "data")), null)
            : (Path.Combine(Path.GetTempPath(), "netllm-no-data-root"), null);
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
