using NetLlm.Abstractions.Tasks;

namespace NetLlm.Tasks.AdaptiveBitrate.Settings;

/// <summary>
/// The named settings of the ABR task (the paper's default and unseen settings). Paths are relative to the data root.
/// <c>default</c> is what <c>test</c> and <c>bench</c> use when no setting and no trace folder are given; <c>train</c>
/// is the default of <c>collect</c>; <c>valid</c> (fcc-valid) is where <c>adapt</c> evaluates checkpoints.
/// </summary>
public static class AbrSettings
{
    /// <summary>fcc-test traces.</summary>
    public const string FccTest = "abr/traces/test/fcc-test";

    /// <summary>fcc-test start pointers (the original's mahimahi_ptrs.pkl as JSON).</summary>
    public const string FccTestPointers = "abr/traces/test/fcc-test_mahimahi_ptrs.json";

    /// <summary>fcc-train traces.</summary>
    public const string FccTrain = "abr/traces/train/fcc-train";

    /// <summary>fcc-valid traces.</summary>
    public const string FccValid = "abr/traces/valid/fcc-valid";

    /// <summary>Genet's synthetic test traces.</summary>
    public const string SyntheticTest = "abr/extra_genet/traces/synthetic_test";

    /// <summary>video1 (Envivio-Dash3, the default video).</summary>
    public const string Video1 = "abr/videos/video1_sizes";

    /// <summary>video2 (the unseen video, about 1.2× video1's bitrates).</summary>
    public const string Video2 = "abr/videos/video2_sizes";

    /// <summary>The settings; the first is the default.</summary>
    public static IReadOnlyList<TaskSetting> All { get; } =
    [
        new("default", "fcc-test (100 traces, its start pointers), video1, deterministic: the paper's default test setting",
            new Dictionary<string, string> { ["traces"] = FccTest, ["start-pointers"] = FccTestPointers, ["video"] = Video1, ["deterministic"] = "true" }),
        new("train", "fcc-train (235 traces), video1, shuffled order, random start pointers and delay noise seeded as the original",
            new Dictionary<string, string> { ["traces"] = FccTrain, ["video"] = Video1 }),
        new("valid", "fcc-valid (150 traces), video1, deterministic (every trace from its start): checkpoint selection during adapt",
            new Dictionary<string, string> { ["traces"] = FccValid, ["video"] = Video1, ["deterministic"] = "true" }),
        new("unseen-1", "fcc-test with its start pointers, video2 (unseen video), deterministic",
            new Dictionary<string, string> { ["traces"] = FccTest, ["start-pointers"] = FccTestPointers, ["video"] = Video2, ["deterministic"] = "true" }),
        new("unseen-2", "Genet synthetic_test traces (200, unseen traces), video1, deterministic",
            new Dictionary<string, string> { ["traces"] = SyntheticTest, ["video"] = Video1, ["deterministic"] = "true" }),
        new("unseen-3", "Genet synthetic_test traces, video2 (unseen traces and video), deterministic",
            new Dictionary<string, string> { ["traces"] = SyntheticTest, ["video"] = Video2, ["deterministic"] = "true" }),
        new("synthetic", "generated traces and video (AbrSyntheticData; --synthetic-count, --synthetic-seed), no data root needed, deterministic",
            new Dictionary<string, string> { ["synthetic"] = "true", ["deterministic"] = "true" }),
    ];

    /// <summary>The setting named <paramref name="name"/>; throws listing the names.</summary>
    /// <param name="name">Setting name.</param>
    public static TaskSetting Get(string name) =>
        All.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"abr has no setting '{name}'; settings: {string.Join(", ", All.Select(s => s.Name))}");

    /// <summary>The setting a verb uses when neither a setting nor a trace source is given.</summary>
    /// <param name="verb">The verb.</param>
    public static TaskSetting DefaultFor(TaskVerb verb) => verb switch
    {
        TaskVerb.Collect => Get("train"),
        TaskVerb.Adapt => Get("valid"),
        _ => Get("default"),
    };
}
