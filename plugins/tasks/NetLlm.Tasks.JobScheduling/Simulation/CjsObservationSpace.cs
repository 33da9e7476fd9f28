using NetLlm.Abstractions.Spaces;

namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>
/// Observations of a cluster with a given number of executors. Membership checks the executor count and the
/// node-feature ranges (observations are validated for structure when built); <see cref="Sample"/> draws a small
/// random observation (chains of stages in one to three jobs) for conformance tests.
/// </summary>
public sealed class CjsObservationSpace(int executors) : ISpace<CjsObservation>
{
    /// <summary>Executors of the cluster.</summary>
    public int Executors { get; } = executors;

    /// <inheritdoc />
    public bool Contains(CjsObservation value)
    {
        if (value is null || value.NumExecutors != Executors)
        {
            return false;
        }

        foreach (var r in value.RemainingTasks)
        {
            if (r < 0)
            {
                return false;
            }
        }

        foreach (var d in value.RecentDurationsMs)
        {
            if (!(d >= 0) || float.IsInfinity(d))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public CjsObservation Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var jobs = 1 + random.Next(3);
        var ptr = new List<int> { 0 };
        var stageIds = new List<int>();
        var from = new List<int>();
        var to = new List<int>();
        var schedulable = new List<int>();
        for (var j = 0; j < jobs; j++)
        {
            var stages = 1 + random.Next(4);
            var start = stageIds.Count;
            for (var s = 0; s < stages; s++)
            {
                stageIds.Add(s);
                if (s > 0)
                {
                    from.Add(start + s - 1);
                    to.Add(start + s);
                }
            }

            schedulable.Add(start);
            ptr.Add(stageIds.Count);
        }

        var nodes = stageIds.Count;
        var supplies = Enumerable.Range(0, jobs).Select(_ => random.Next(Executors + 1)).ToArray();
        return new CjsObservation(
            Executors,
            1 + random.Next(Executors),
            random.Next(jobs + 1),
            ptr.ToArray(),
            Enumerable.Range(0, jobs).ToArray(),
            supplies,
            stageIds.ToArray(),
            Enumerable.Range(0, nodes).Select(_ => 1 + random.Next(200)).ToArray(),
            Enumerable.Range(0, nodes).Select(_ => (float)(1 + random.Next(10000))).ToArray(),
            schedulable.ToArray(),
            from.ToArray(),
            to.ToArray(),
            0);
    }

    /// <inheritdoc />
    public string Describe() => $"CjsObservation(executors={Executors})";
}
