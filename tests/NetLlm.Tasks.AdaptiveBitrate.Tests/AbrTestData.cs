using NetLlm.Abstractions.Policies;
using NetLlm.Core.Engine;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Scoring;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Testing;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

/// <summary>Shared, lazily loaded ABR data for the tests (read-only).</summary>
internal static class AbrTestData
{
    /// <summary>
    /// The data root the tests read ABR data from: the full one when present, else the small one in
    /// tests/fixtures/data (the first 8 fcc-test traces and their start pointers, both videos, the GENET actor).
    /// Tests that need the full dataset are marked [DataFact("abr")] and use the same helpers.
    /// </summary>
    public static string Root => TestPaths.DataRootFor("abr");

    /// <summary>
    /// The original's result file of the last fcc-test trace: only the shared fixtures have it (tests/fixtures holds the
    /// first 8), so <c>SharedFixtures = ["abr-upstream/bba/" + LastResultFile]</c> requires the shared copy.
    /// </summary>
    public const string LastResultFile = "result_sim_abr_fcc-test_099_trace_925800_http---www.ebay.com_320";

    /// <summary>Whether <see cref="Root"/> is the full data root.</summary>
    public static bool Full => TestPaths.HasFullData("abr");

    /// <summary>A path under <see cref="Root"/>, asserting that it exists.</summary>
    public static string Data(string relative)
    {
        var path = Path.Combine(Root, relative);
        return File.Exists(path) || Directory.Exists(path) ? path : throw new FileNotFoundException($"test data not found: {path} (see docs/testing.md)", path);
    }

    private static readonly Lazy<IReadOnlyList<BandwidthTrace>> FccTestTraces =
        new(() => TraceLoader.LoadDirectory(Data("abr/traces/test/fcc-test")));

    private static readonly Lazy<AbrVideo> Video1Table = new(() => VideoLoader.LoadDirectory(Data("abr/videos/video1_sizes")));

    private static readonly Lazy<IReadOnlyList<int>> FccTestPointers =
        new(() => StartPointerFile.Load(Data("abr/traces/test/fcc-test_mahimahi_ptrs.json"), FccTestTraces.Value));

    public static IReadOnlyList<BandwidthTrace> FccTest => FccTestTraces.Value;

    public static AbrVideo Video1 => Video1Table.Value;

    public static IReadOnlyList<int> FccTestStartPointers => FccTestPointers.Value;

    /// <summary>
    /// The original's per-chunk result files of <paramref name="policyFolder"/> for the traces of <see cref="Root"/>:
    /// the shared fixtures (all 100 fcc-test traces) with the full data root, else tests/fixtures/abr-upstream (the
    /// first 8).
    /// </summary>
    public static string Fixture(string policyFolder) =>
        Full && Directory.Exists(Path.Combine(TestPaths.Fixtures, "abr-upstream", policyFolder))
            ? Path.Combine(TestPaths.Fixtures, "abr-upstream", policyFolder)
            : TestPaths.Fixture($"abr-upstream/{policyFolder}");

    /// <summary>The default test setting: fcc-test with its start pointers, video1, deterministic.</summary>
    public static AbrScenario DefaultScenario() => new("default", FccTest, Video1, FccTestStartPointers, deterministic: true);

    /// <summary>The default test setting read from another data root (for example <see cref="TestPaths.FixtureData"/>).</summary>
    public static AbrScenario Scenario(string root)
    {
        var traces = TraceLoader.LoadDirectory(Path.Combine(root, "abr/traces/test/fcc-test"));
        var pointers = StartPointerFile.Load(Path.Combine(root, "abr/traces/test/fcc-test_mahimahi_ptrs.json"), traces);
        return new("default", traces, VideoLoader.LoadDirectory(Path.Combine(root, "abr/videos/video1_sizes")), pointers, deterministic: true);
    }

    public static AbrEnvironment DefaultEnvironment() => new(DefaultScenario());

    /// <summary>
    /// Runs <paramref name="episodes"/> episodes as <c>test</c> does (the engine's loop, the task's protocol: the policy
    /// is asked once more on each final observation) and returns the scorer holding every trace's QoE and chunks.
    /// </summary>
    public static AbrRunScorer Run(AbrEnvironment environment, IPolicy<AbrObservation, int> policy, int episodes, bool recordChunks = true)
    {
        var scorer = new AbrRunScorer(recordChunks: recordChunks);
        EpisodeRunner.Run(environment, policy, episodes, seed: null, scorer, askOnFinalObservation: new AbrTask().Protocol.AskOnFinalObservation);
        return scorer;
    }

    /// <summary>Reads an upstream result file: one row of 8 numbers per chunk.</summary>
    public static List<double[]> ReadResultFile(string path) =>
        File.ReadLines(path)
            .Select(l => l.Split('\t', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 0)
            .Select(f => f.Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray())
            .ToList();
}
