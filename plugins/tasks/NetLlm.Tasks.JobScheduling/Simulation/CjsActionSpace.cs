using NetLlm.Abstractions.Spaces;

namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>
/// The actions valid in the environment's current observation: a schedulable stage index (or -1) and 1 to the
/// committable executors (1 to N with -1). Before the first reset no action is valid.
/// </summary>
internal sealed class CjsActionSpace(SparkSchedulingEnvironment environment) : ISpace<CjsAction>
{
    public bool Contains(CjsAction value)
    {
        var obs = environment.Current;
        if (obs is null || value.StageIndex < -1 || value.StageIndex >= obs.SchedulableCount)
        {
            return false;
        }

        return value.StageIndex == -1
            ? value.NumExecutors >= 1 && value.NumExecutors <= obs.NumExecutors
            : value.NumExecutors >= 1 && value.NumExecutors <= obs.CommittableExecutors;
    }

    public CjsAction Sample(Random random)
    {
        var obs = environment.Current ?? throw new InvalidOperationException("call Reset before sampling actions");
        if (obs.SchedulableCount == 0 || obs.CommittableExecutors == 0)
        {
            return new CjsAction(-1, 1);
        }

        return new CjsAction(random.Next(obs.SchedulableCount), 1 + random.Next(obs.CommittableExecutors));
    }

    public string Describe()
    {
        var obs = environment.Current;
        return obs is null
            ? "CjsAction(stage -1.., executors 1..) (no observation yet)"
            : $"CjsAction(stage -1..{obs.SchedulableCount - 1}, executors 1..{obs.CommittableExecutors})";
    }
}
