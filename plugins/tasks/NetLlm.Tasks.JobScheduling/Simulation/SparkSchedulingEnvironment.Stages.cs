namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>
/// Schedulable stages. A stage is schedulable when it is unsaturated (its remaining tasks exceed the executors
/// moving or committed to it), all its parents are saturated, it was not selected earlier in this round, and its
/// job is the source job or has an executor supply below the cluster size. The per-job part that does not depend
/// on the round (unsaturated with saturated parents) is cached and recomputed only for jobs whose stages changed.
/// </summary>
public sealed partial class SparkSchedulingEnvironment
{
    /// <summary>Appends the schedulable stages of every active job (job order, then stage order).</summary>
    private void FindSchedulableInActiveJobs(List<int> output)
    {
        var source = _tracker.SourceJob;
        foreach (var job in _activeJobs)
        {
            AppendSchedulable(job, source, output);
        }
    }

    /// <summary>Appends the schedulable stages of <paramref name="job"/>, treating <paramref name="sourceJob"/> as the source.</summary>
    private void AppendSchedulable(int job, int sourceJob, List<int> output)
    {
        if (job != sourceJob && _tracker.Supply(job) >= Options.Executors)
        {
            return;
        }

        if (_readyDirty[job])
        {
            RecomputeReady(job);
        }

        var b = _stageBase[job];
        for (var i = 0; i < _readyCount[job]; i++)
        {
            var g = _readyStages[b + i];
            if (!_selected[g])
            {
                output.Add(g);
            }
        }
    }

    private void RecomputeReady(int job)
    {
        var q = _jobQuery[job];
        var b = _stageBase[job];
        var count = 0;
        for (var s = 0; s < q.StageCount; s++)
        {
            var g = b + s;
            if (Demand(g) <= 0)
            {
                continue;
            }

            var parentsSaturated = true;
            foreach (var p in q.Dag.ParentsOf[s])
            {
                if (Demand(b + p) > 0)
                {
                    parentsSaturated = false;
                    break;
                }
            }

            if (parentsSaturated)
            {
                _readyStages[b + count++] = g;
            }
        }

        _readyCount[job] = count;
        _readyDirty[job] = false;
    }
}
