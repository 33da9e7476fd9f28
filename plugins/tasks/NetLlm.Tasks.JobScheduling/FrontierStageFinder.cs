namespace NetLlm.Tasks.JobScheduling;

/// <summary>The heuristics' stage search (the original's <c>HeuristicScheduler.find_stage</c>).</summary>
public static class FrontierStageFinder
{
    /// <summary>
    /// The schedulable-stage index of a stage of job <paramref name="job"/>: the first schedulable stage on the
    /// job's frontier (no incomplete parent), else the first schedulable one, else -1.
    /// </summary>
    /// <param name="observation">The observation.</param>
    /// <param name="job">Job index in the observation.</param>
    public static int Find(CjsObservation observation, int job)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var ptr = observation.JobPtr;
        var selected = -1;
        for (var node = ptr[job]; node < ptr[job + 1]; node++)
        {
            var i = observation.SchedulableIndexOf(node);
            if (i < 0)
            {
                continue;
            }

            if (observation.IsFrontier(node))
            {
                return i;
            }

            if (selected == -1)
            {
                selected = i;
            }
        }

        return selected;
    }
}
