using NetLlm.Abstractions.Tasks;

namespace Sample.NetLlmTask;

/// <summary>The task's named settings (<c>--setting</c>); the first is the default.</summary>
public static class ThroughputSettings
{
    /// <summary>All settings.</summary>
    public static IReadOnlyList<TaskSetting> All { get; } =
    [
        new("default", "Synthetic link traces (no data needed): history 10, horizon 1",
            new Dictionary<string, string> { ["history"] = "10", ["horizon"] = "1" }),
        new("abr-fcc", "The ABR traces of the data root: train on fcc-train, validate on fcc-valid, test on fcc-test; history 10, horizon 1",
            new Dictionary<string, string>
            {
                ["history"] = "10",
                ["horizon"] = "1",
                ["train-traces"] = "abr/traces/train/fcc-train",
                ["valid-traces"] = "abr/traces/valid/fcc-valid",
                ["test-traces"] = "abr/traces/test/fcc-test",
            }),
    ];

    /// <summary>The setting called <paramref name="name"/>; throws listing the settings.</summary>
    /// <param name="name">Setting name.</param>
    public static TaskSetting Get(string name) =>
        All.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"task {ThroughputTask.TaskId} has no setting '{name}'; settings: {string.Join(", ", All.Select(s => s.Name))}");
}
