using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Tasks.JobScheduling.Options;

/// <summary>The CJS settings of the paper: the default cluster and workload, and three unseen ones (more jobs and/or fewer executors).</summary>
public static class CjsSettings
{
    /// <summary>The default setting's name.</summary>
    public const string DefaultName = "default";

    /// <summary>The settings, default first.</summary>
    public static IReadOnlyList<TaskSetting<CjsOptions>> All { get; } =
    [
        Make(DefaultName, "paper default: 200 jobs, 50 executors", 200, 50) with { DefaultFor = VerbScope.All },
        Make("unseen-1", "unseen: 200 jobs, 30 executors", 200, 30),
        Make("unseen-2", "unseen: 450 jobs, 50 executors", 450, 50),
        Make("unseen-3", "unseen: 450 jobs, 30 executors", 450, 30),
    ];

    private static TaskSetting<CjsOptions> Make(string name, string description, int jobs, int executors) =>
        new(name, description, o => o with { Jobs = jobs, Executors = executors, ArrivalRate = 4e-5, MovingDelay = 2000, WarmupDelay = 1000 });
}
