using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Tasks.ViewportPrediction.Options;

/// <summary>
/// The task's named settings: the paper's default (Jin2022, 2 s history → 4 s prediction) and its unseen settings (a
/// longer prediction window, an unseen dataset, both). Each sets the dataset, the test split and every window; the
/// trims stay 30 / 60 as in the original.
/// </summary>
public static class VpSettings
{
    /// <summary>The settings, <c>default</c> first (the default of every verb).</summary>
    public static IReadOnlyList<TaskSetting<VpOptions>> All { get; } =
    [
        new("default", "Jin2022 test split, 2 s history -> 4 s prediction (10 -> 20 rows at 5 Hz)", o => Paper(o, "Jin2022", 20)) { DefaultFor = VerbScope.All },
        new("unseen-1", "longer prediction: Jin2022 test split, 2 s history -> 5 s prediction (10 -> 25 rows)", o => Paper(o, "Jin2022", 25)),
        new("unseen-2", "unseen dataset: Wu2017 test split, 2 s history -> 4 s prediction (10 -> 20 rows)", o => Paper(o, "Wu2017", 20)),
        new("unseen-3", "both: Wu2017 test split, 2 s history -> 5 s prediction (10 -> 25 rows)", o => Paper(o, "Wu2017", 25)),
    ];

    private static VpOptions Paper(VpOptions options, string dataset, int future) => options with
    {
        Dataset = dataset,
        Split = Data.ViewportSplit.Test,
        History = 10,
        Future = future,
        TrimHead = 30,
        TrimTail = 60,
        Step = 15,
    };
}
