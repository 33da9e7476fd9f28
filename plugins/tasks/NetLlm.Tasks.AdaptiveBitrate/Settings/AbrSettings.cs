using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Tasks.AdaptiveBitrate.Settings;

/// <summary>
/// The named settings of the ABR task (the paper's default and unseen settings), as changes of <see cref="AbrOptions"/>.
/// Each sets every data option (traces, video, start pointers, the deterministic switch, generated data), so a setting
/// means the same whatever the configuration holds. Paths are relative to the data root. <c>default</c> is what
/// <c>test</c> and <c>bench</c> use, <c>train</c> what <c>collect</c> uses, <c>valid</c> (fcc-valid) where <c>adapt</c>
/// evaluates checkpoints.
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

    /// <summary><c>default</c>: the paper's default test setting.</summary>
    public static TaskSetting<AbrOptions> Default { get; } = new(
        "default",
        "fcc-test (100 traces, its start pointers), video1, deterministic: the paper's default test setting",
        o => Folder(o, FccTest, Video1, FccTestPointers, deterministic: true)) { DefaultFor = VerbScope.Test | VerbScope.Bench };

    /// <summary><c>train</c>: where experience is collected.</summary>
    public static TaskSetting<AbrOptions> Train { get; } = new(
        "train",
        "fcc-train (235 traces), video1, shuffled order, random start pointers and delay noise seeded as the original",
        o => Folder(o, FccTrain, Video1, null, deterministic: false)) { DefaultFor = VerbScope.Collect };

    /// <summary><c>valid</c>: checkpoint selection during adapt.</summary>
    public static TaskSetting<AbrOptions> Valid { get; } = new(
        "valid",
        "fcc-valid (150 traces), video1, deterministic (every trace from its start): checkpoint selection during adapt",
        o => Folder(o, FccValid, Video1, null, deterministic: true)) { DefaultFor = VerbScope.Adapt };

    /// <summary><c>unseen-1</c>: the unseen video.</summary>
    public static TaskSetting<AbrOptions> Unseen1 { get; } = new(
        "unseen-1",
        "fcc-test with its start pointers, video2 (unseen video), deterministic",
        o => Folder(o, FccTest, Video2, FccTestPointers, deterministic: true));

    /// <summary><c>unseen-2</c>: unseen traces.</summary>
    public static TaskSetting<AbrOptions> Unseen2 { get; } = new(
        "unseen-2",
        "Genet synthetic_test traces (200, unseen traces), video1, deterministic",
        o => Folder(o, SyntheticTest, Video1, null, deterministic: true));

    /// <summary><c>unseen-3</c>: unseen traces and video.</summary>
    public static TaskSetting<AbrOptions> Unseen3 { get; } = new(
        "unseen-3",
        "Genet synthetic_test traces, video2 (unseen traces and video), deterministic",
        o => Folder(o, SyntheticTest, Video2, null, deterministic: true));

    /// <summary><c>synthetic</c>: generated traces and video, no data root needed.</summary>
    public static TaskSetting<AbrOptions> Synthetic { get; } = new(
        "synthetic",
        "generated traces and video (AbrSyntheticData; --synthetic-count, --synthetic-seed), no data root needed, deterministic",
        o => o with { Traces = null, Video = null, StartPointers = null, Deterministic = true, Synthetic = true });

    /// <summary>The settings, in the order <c>netllm tasks</c> lists them.</summary>
    public static IReadOnlyList<ITaskSetting> All { get; } = [Default, Train, Valid, Unseen1, Unseen2, Unseen3, Synthetic];

    private static AbrOptions Folder(AbrOptions o, string traces, string video, string? pointers, bool deterministic) =>
        o with { Traces = traces, Video = video, StartPointers = pointers, Deterministic = deterministic, Synthetic = false };
}
