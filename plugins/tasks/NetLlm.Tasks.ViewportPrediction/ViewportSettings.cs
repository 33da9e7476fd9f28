using NetLlm.Abstractions.Tasks;

namespace NetLlm.Tasks.ViewportPrediction;

/// <summary>
/// The task's named settings: the paper's default (Jin2022, 2 s history → 4 s prediction) and its unseen settings
/// (a longer prediction window, an unseen dataset, both). The trims stay 30 / 60 as in the original.
/// </summary>
public static class ViewportSettings
{
    /// <summary>The settings, default first.</summary>
    public static IReadOnlyList<TaskSetting> All { get; } =
    [
        new("default", "Jin2022 test split, 2 s history -> 4 s prediction (10 -> 20 rows at 5 Hz)", Values("Jin2022", 10, 20)),
        new("unseen-1", "longer prediction: Jin2022 test split, 2 s history -> 5 s prediction (10 -> 25 rows)", Values("Jin2022", 10, 25)),
        new("unseen-2", "unseen dataset: Wu2017 test split, 2 s history -> 4 s prediction (10 -> 20 rows)", Values("Wu2017", 10, 20)),
        new("unseen-3", "both: Wu2017 test split, 2 s history -> 5 s prediction (10 -> 25 rows)", Values("Wu2017", 10, 25)),
    ];

    /// <summary>The setting named <paramref name="name"/>; throws listing the known names.</summary>
    /// <param name="name">Setting name.</param>
    public static TaskSetting Get(string name) =>
        All.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"unknown vp setting '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}");

    private static Dictionary<string, string> Values(string dataset, int history, int future) => new()
    {
        ["dataset"] = dataset,
        ["split"] = "test",
        ["history"] = history.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["future"] = future.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["trim-head"] = "30",
        ["trim-tail"] = "60",
        ["step"] = "15",
    };
}
