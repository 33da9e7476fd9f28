using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.JobScheduling;

namespace NetLlm.Baselines.Scheduling;

/// <summary>Provides FIFO (<c>cjs.fifo</c>): round robin with an executor cap of ⌈N / 2⌉ per job.</summary>
public sealed class FifoPolicyProvider : ILegacyPolicyProvider
{
    /// <inheritdoc />
    public string Id => "cjs.fifo";

    /// <inheritdoc />
    public string TaskId => "cjs";

    /// <inheritdoc />
    public string Description => "FIFO: jobs in arrival order, at most ceil(N/2) executors each (the original's RoundRobinScheduler without dynamic partition)";

    /// <inheritdoc />
    public Type ObservationType => typeof(CjsObservation);

    /// <inheritdoc />
    public Type ActionType => typeof(CjsAction);

    /// <inheritdoc />
    public object Create(PolicyRequest request) => new RoundRobinScheduler(dynamicPartition: false);
}

/// <summary>Provides Fair (<c>cjs.fair</c>): round robin with an executor cap of ⌈N / active jobs⌉ per job.</summary>
public sealed class FairPolicyProvider : ILegacyPolicyProvider
{
    /// <inheritdoc />
    public string Id => "cjs.fair";

    /// <inheritdoc />
    public string TaskId => "cjs";

    /// <inheritdoc />
    public string Description => "Fair: jobs in arrival order, at most ceil(N/active jobs) executors each (the original's RoundRobinScheduler with dynamic partition)";

    /// <inheritdoc />
    public Type ObservationType => typeof(CjsObservation);

    /// <inheritdoc />
    public Type ActionType => typeof(CjsAction);

    /// <inheritdoc />
    public object Create(PolicyRequest request) => new RoundRobinScheduler(dynamicPartition: true);
}

/// <summary>Provides the random scheduler (<c>cjs.random</c>), seeded with the request's seed.</summary>
public sealed class RandomPolicyProvider : ILegacyPolicyProvider
{
    /// <inheritdoc />
    public string Id => "cjs.random";

    /// <inheritdoc />
    public string TaskId => "cjs";

    /// <inheritdoc />
    public string Description => "Random: a random job's frontier stage and a uniform number of executors";

    /// <inheritdoc />
    public Type ObservationType => typeof(CjsObservation);

    /// <inheritdoc />
    public Type ActionType => typeof(CjsAction);

    /// <inheritdoc />
    public object Create(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new RandomScheduler(request.Seed);
    }
}
