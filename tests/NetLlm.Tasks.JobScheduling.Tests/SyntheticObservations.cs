namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>Hand-made observations for scheduler and model tests.</summary>
internal static class SyntheticObservations
{
    /// <summary>One job of a synthetic observation.</summary>
    /// <param name="Stages">Incomplete stages (nodes).</param>
    /// <param name="Edges">Edges among them (local indices).</param>
    /// <param name="Schedulable">Schedulable nodes (local indices).</param>
    /// <param name="Supply">Executor supply.</param>
    public sealed record Job(int Stages, (int From, int To)[] Edges, int[] Schedulable, int Supply = 0);

    /// <summary>Builds a validated observation.</summary>
    public static CjsObservation Make(int executors, int committable, int source, params Job[] jobs)
    {
        var ptr = new List<int> { 0 };
        var stageIds = new List<int>();
        var from = new List<int>();
        var to = new List<int>();
        var schedulable = new List<int>();
        foreach (var job in jobs)
        {
            var start = stageIds.Count;
            for (var s = 0; s < job.Stages; s++)
            {
                stageIds.Add(s);
            }

            foreach (var (u, v) in job.Edges)
            {
                from.Add(start + u);
                to.Add(start + v);
            }

            schedulable.AddRange(job.Schedulable.Select(s => start + s));
            ptr.Add(stageIds.Count);
        }

        var nodes = stageIds.Count;
        return new CjsObservation(
            executors,
            committable,
            source,
            ptr.ToArray(),
            Enumerable.Range(0, jobs.Length).ToArray(),
            jobs.Select(j => j.Supply).ToArray(),
            stageIds.ToArray(),
            Enumerable.Range(0, nodes).Select(i => 10 + i).ToArray(),
            Enumerable.Range(0, nodes).Select(i => 100f * (i + 1)).ToArray(),
            schedulable.Order().ToArray(),
            from.ToArray(),
            to.ToArray(),
            1234.5);
    }
}
