using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.JobScheduling;

namespace NetLlm.Baselines.RandomScheduling;

/// <summary>Provides the random scheduler (<c>cjs.random</c>), its stream seeded with the run's seed.</summary>
public sealed class RandomPolicyProvider : IPolicyProvider<CjsObservation, CjsAction, NoOptions>
{
    /// <inheritdoc />
    public string Id => "cjs.random";

    /// <inheritdoc />
    public string TaskId => CjsTask.TaskId;

    /// <inheritdoc />
    public string Description => "Random: a random job's frontier stage and a uniform number of executors";

    /// <inheritdoc />
    public IPolicy<CjsObservation, CjsAction> Create(PolicyContext context, NoOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new RandomScheduler(context.Seed);
    }
}
