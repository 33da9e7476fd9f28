namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>Builds the observation: active jobs in arrival order, each with its incomplete stages as nodes.</summary>
public sealed partial class SparkSchedulingEnvironment
{
    private CjsObservation Observe()
    {
        var jobs = _activeJobs.Count;
        var nodes = 0;
        var edges = 0;
        foreach (var j in _activeJobs)
        {
            nodes += _activeStageCount[j];
            edges += _jobQuery[j].Dag.EdgeList.Length;
        }

        var jobPtr = new int[jobs + 1];
        var jobIds = new int[jobs];
        var supplies = new int[jobs];
        var stageIds = new int[nodes];
        var remaining = new int[nodes];
        var durations = new float[nodes];
        var sourceJob = _tracker.SourceJob;
        var sourceIndex = jobs;
        var n = 0;
        for (var k = 0; k < jobs; k++)
        {
            var j = _activeJobs[k];
            jobIds[k] = j;
            supplies[k] = _tracker.Supply(j);
            if (j == sourceJob)
            {
                sourceIndex = k;
            }

            var b = _stageBase[j];
            var count = _jobQuery[j].StageCount;
            for (var s = 0; s < count; s++)
            {
                var g = b + s;
                if (IsStageComplete(g))
                {
                    _nodeIndex[g] = -1;
                    continue;
                }

                _nodeIndex[g] = n;
                stageIds[n] = s;
                remaining[n] = _remaining[g];
                durations[n] = (float)_recentDuration[g];
                n++;
            }

            jobPtr[k + 1] = n;
        }

        // Edges among incomplete stages, in (job, parent, child) order.
        var from = new int[edges];
        var to = new int[edges];
        var m = 0;
        foreach (var j in _activeJobs)
        {
            var b = _stageBase[j];
            foreach (var (u, v) in _jobQuery[j].Dag.EdgeList)
            {
                var nu = _nodeIndex[b + u];
                var nv = _nodeIndex[b + v];
                if (nu >= 0 && nv >= 0)
                {
                    from[m] = nu;
                    to[m] = nv;
                    m++;
                }
            }
        }

        if (m < edges)
        {
            Array.Resize(ref from, m);
            Array.Resize(ref to, m);
        }

        var schedulable = new int[_schedulable.Count];
        for (var i = 0; i < schedulable.Length; i++)
        {
            schedulable[i] = _nodeIndex[_schedulable[i]];
        }

        return new CjsObservation(
            Options.Executors,
            _tracker.Committable,
            sourceIndex,
            jobPtr,
            jobIds,
            supplies,
            stageIds,
            remaining,
            durations,
            schedulable,
            from,
            to,
            WallTimeMs,
            validate: false);
    }
}
