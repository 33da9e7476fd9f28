using Xunit;

namespace NetLlm.Testing;

/// <summary>
/// A fact that needs the full data root (<see cref="TestPaths.DataRoot"/>): skipped, with the reason and the
/// <c>netllm data fetch</c> command that gets the data, when the paths it names are absent. Never skipped when
/// <c>NETLLM_DATA_ROOT</c> names a folder that does not exist (the test then fails on <see cref="TestPaths.DataRoot"/>).
/// </summary>
/// <example><c>[DataFact("abr/traces/test/fcc-test")]</c>, <c>[DataFact("cjs", "vp")]</c>.</example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class DataFactAttribute : FactAttribute
{
    private string[] _sharedFixtures = [];

    /// <summary>Skips the test unless every path in <paramref name="requirements"/> exists under the data root.</summary>
    /// <param name="requirements">Paths relative to the data root: a dataset (<c>abr</c>, <c>cjs</c>, <c>vp</c>) or a file or folder in one.</param>
    public DataFactAttribute(params string[] requirements)
    {
        string[] needed = requirements.Length == 0 ? ["abr", "cjs", "vp"] : requirements;
        Requirements = needed;
        Skip = TestPaths.MissingDataReason(needed);
    }

    /// <summary>The paths under the data root the test needs.</summary>
    public IReadOnlyList<string> Requirements { get; }

    /// <summary>
    /// Fixtures the test needs besides the data root (as <see cref="TestPaths.Fixture"/> takes them; name a file that
    /// only the shared folder has to require the shared copy): the test is also skipped when one is missing.
    /// </summary>
    public string[] SharedFixtures
    {
        get => _sharedFixtures;
        set
        {
            _sharedFixtures = value;
            Skip = TestPaths.MissingReason(Requirements, value);
        }
    }
}

/// <summary>A theory that needs the full data root; see <see cref="DataFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class DataTheoryAttribute : TheoryAttribute
{
    private string[] _sharedFixtures = [];

    /// <summary>Skips the theory unless every path in <paramref name="requirements"/> exists under the data root.</summary>
    /// <param name="requirements">Paths relative to the data root.</param>
    public DataTheoryAttribute(params string[] requirements)
    {
        string[] needed = requirements.Length == 0 ? ["abr", "cjs", "vp"] : requirements;
        Requirements = needed;
        Skip = TestPaths.MissingDataReason(needed);
    }

    /// <summary>The paths under the data root the theory needs.</summary>
    public IReadOnlyList<string> Requirements { get; }

    /// <summary>
    /// Fixtures the theory needs besides the data root (as <see cref="TestPaths.Fixture"/> takes them; name a file that
    /// only the shared folder has to require the shared copy): the theory is also skipped when one is missing.
    /// </summary>
    public string[] SharedFixtures
    {
        get => _sharedFixtures;
        set
        {
            _sharedFixtures = value;
            Skip = TestPaths.MissingReason(Requirements, value);
        }
    }
}

/// <summary>
/// A fact that needs fixtures the repository does not ship (found only in the shared folder, see
/// <see cref="TestPaths.Fixture"/>): skipped, naming them, when they are absent.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SharedFixtureFactAttribute : FactAttribute
{
    /// <summary>Skips the test unless every fixture in <paramref name="fixtures"/> is found.</summary>
    /// <param name="fixtures">Fixture paths as <see cref="TestPaths.Fixture"/> takes them.</param>
    public SharedFixtureFactAttribute(params string[] fixtures)
    {
        Fixtures = fixtures;
        Skip = TestPaths.MissingFixtureReason(fixtures);
    }

    /// <summary>The fixtures the test needs.</summary>
    public IReadOnlyList<string> Fixtures { get; }
}

/// <summary>A theory that needs fixtures the repository does not ship; see <see cref="SharedFixtureFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SharedFixtureTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips the theory unless every fixture in <paramref name="fixtures"/> is found.</summary>
    /// <param name="fixtures">Fixture paths as <see cref="TestPaths.Fixture"/> takes them.</param>
    public SharedFixtureTheoryAttribute(params string[] fixtures)
    {
        Fixtures = fixtures;
        Skip = TestPaths.MissingFixtureReason(fixtures);
    }

    /// <summary>The fixtures the theory needs.</summary>
    public IReadOnlyList<string> Fixtures { get; }
}
