using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.JobScheduling;

namespace NetLlm.Baselines.RoundRobin;

/// <summary>Provides FIFO (<c>cjs.fifo</c>): round robin with an executor cap of ⌈N / 2⌉ per job.</summary>
public sealed class FifoPolicyProvider : IPolicyProvider<CjsObservation, CjsAction, NoOptions>
{
    /// <inheritdoc />
    public string Id => "cjs.fifo";

    /// <inheritdoc />
    public string TaskId => CjsTask.TaskId;

    /// <inheritdoc />
    public string Description => "FIFO: jobs in arrival order, at most ceil(N/2) executors each (the original's RoundRobinScheduler without dynamic partition)";

    /// <inheritdoc />
    public IPolicy<CjsObservation, CjsAction> Create(PolicyContext context, NoOptions options) => new RoundRobinScheduler(dynamicPartition: false);
}

/// <summary>Provides Fair (<c>cjs.fair</c>): round robin with an executor cap of ⌈N / active jobs⌉ per job.</summary>
public sealed class FairPolicyProvider : IPolicyProvider<CjsObservation, CjsAction, NoOptions>
{
    /// <inheritdoc />
    public string Id => "cjs.fair";

    /// <inheritdoc />
    public string TaskId => CjsTask.TaskId;

    /// <inheritdoc />
    public string Description => "Fair: jobs in arrival order, at most ceil(N/active jobs) executors each (the original's RoundRobinScheduler with dynamic partition)";

    /// <inheritdoc />
    public IPolicy<CjsObservation, CjsAction> Create(PolicyContext context, NoOptions options) => new RoundRobinScheduler(dynamicPartition: true);
}
