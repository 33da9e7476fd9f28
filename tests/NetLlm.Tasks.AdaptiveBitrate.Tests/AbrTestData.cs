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
    private static readonly Lazy<IReadOnlyList<BandwidthTrace>> FccTestTraces =
        new(() => TraceLoader.LoadDirectory(TestPaths.Data("abr/traces/test/fcc-test")));

    private static readonly Lazy<AbrVideo> Video1Table = new(() => VideoLoader.LoadDirectory(TestPaths.Data("abr/videos/video1_sizes")));

    private static readonly Lazy<IReadOnlyList<int>> FccTestPointers =
        new(() => StartPointerFile.Load(TestPaths.Data("abr/traces/test/fcc-test_mahimahi_ptrs.json"), FccTestTraces.Value));

    public static IReadOnlyList<BandwidthTrace> FccTest => FccTestTraces.Value;

    public static AbrVideo Video1 => Video1Table.Value;

    public static IReadOnlyList<int> FccTestStartPointers => FccTestPointers.Value;

    public static string Fixture(string policyFolder) => Path.Combine(TestPaths.Fixtures, "abr-upstream", policyFolder);

    /// <summary>The default test setting: fcc-test with its start pointers, video1, deterministic.</summary>
    public static AbrScenario DefaultScenario() => new("default", FccTest, Video1, FccTestStartPointers, deterministic: true);

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
