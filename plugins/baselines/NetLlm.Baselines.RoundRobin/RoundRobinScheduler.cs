using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.JobScheduling;

namespace NetLlm.Baselines.RoundRobin;

/// <summary>
/// The original's round-robin scheduler. It first gives all committable executors to a stage of the job releasing
/// them; otherwise it scans jobs in arrival order and gives the first job below the executor cap
/// <c>min(committable, cap − supply)</c> executors on a frontier stage. Fair: cap = ⌈N / active jobs⌉ (dynamic
/// partition); FIFO: cap = ⌈N / 2⌉. Deterministic.
/// </summary>
public sealed class RoundRobinScheduler : IPolicy<CjsObservation, CjsAction>
{
    /// <summary>Creates the scheduler.</summary>
    /// <param name="dynamicPartition">True for Fair, false for FIFO.</param>
    public RoundRobinScheduler(bool dynamicPartition)
    {
        DynamicPartition = dynamicPartition;
    }

    /// <summary>True for Fair (cap = ⌈N / jobs⌉), false for FIFO (cap = ⌈N / 2⌉).</summary>
    public bool DynamicPartition { get; }

    /// <inheritdoc />
    public string Id => DynamicPartition ? "cjs.fair" : "cjs.fifo";

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public CjsAction Act(CjsObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var jobs = observation.JobCount;
        var n = observation.NumExecutors;
        var divisor = DynamicPartition ? Math.Max(1, jobs) : 2;
        var cap = (n + divisor - 1) / divisor;
        var committable = observation.CommittableExecutors;
        var source = observation.SourceJobIndex;

        if (source < jobs)
        {
            var stage = FrontierStageFinder.Find(observation, source);
            if (stage != -1)
            {
                return new CjsAction(stage, committable);
            }
        }

        var supplies = observation.ExecSupplies;
        for (var j = 0; j < jobs; j++)
        {
            if (supplies[j] >= cap || j == source)
            {
                continue;
            }

            var stage = FrontierStageFinder.Find(observation, j);
            if (stage == -1)
            {
                continue;
            }

            return new CjsAction(stage, Math.Min(committable, cap - supplies[j]));
        }

        return CjsAction.None(observation);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
