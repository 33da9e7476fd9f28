namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>The timeline: advancing to the next decision and handling job arrivals, executor arrivals and task completions.</summary>
public sealed partial class SparkSchedulingEnvironment
{
    /// <summary>
    /// Processes events until executors are committable and some stage is schedulable (the next decision), or until
    /// the timeline is empty (every job completed, or the scheduler left nothing running).
    /// </summary>
    private void ResumeSimulation()
    {
        _schedulable.Clear();
        while (true)
        {
            var hasEvent = _timeline.TryPeekTime(out var eventTime);
            if (_nextArrival < _jobQuery.Length && (!hasEvent || _arrival[_nextArrival] <= eventTime))
            {
                WallTimeMs = _arrival[_nextArrival];
                HandleJobArrival(_nextArrival++);
            }
            else if (hasEvent)
            {
                var e = _timeline.Pop(out var time);
                WallTimeMs = time;
                if (e.Kind == SimEventKind.TaskCompletion)
                {
                    HandleTaskCompletion(e.Executor, e.Stage);
                }
                else
                {
                    HandleExecutorArrival(e.Executor, e.Stage);
                }
            }
            else
            {
                break;
            }

            Events++;

            if (_tracker.Committable == 0)
            {
                continue;
            }

            FindSchedulableInActiveJobs(_schedulable);
            if (_schedulable.Count > 0)
            {
                return;
            }

            MoveIdleExecutors(_tracker.Source, -1);
            _tracker.ClearSource();
        }
    }

    private void HandleJobArrival(int job)
    {
        InsertActiveJob(job);
        if (_tracker.CommonHasExecutors)
        {
            // Executors not at any job could go to the new job: start a round at the common pool.
            _tracker.SetSource(ExecutorTracker.CommonPool);
        }
    }

    private void HandleExecutorArrival(int executor, int stage)
    {
        var job = _stageJob[stage];
        if (_execTask[executor] != -1 || _execJob[executor] != -1)
        {
            throw new InvalidOperationException($"simulator invariant violated: executor {executor} arrived while assigned");
        }

        _execJob[executor] = job;
        _localExecutors[job]++;
        _tracker.CountArrival(StagePool(stage));
        _readyDirty[job] = true;
        _tracker.Move(executor, JobPool(job));
        MoveExecutorToStage(executor, stage);
    }

    private void HandleTaskCompletion(int executor, int stage)
    {
        var job = _stageJob[stage];
        var s = stage - _stageBase[job];
        var numTasks = _numTasks[stage];
        if (_finished[stage] == numTasks)
        {
            throw new InvalidOperationException($"simulator invariant violated: task completed in finished stage {stage}");
        }

        _processing[stage]--;
        _finished[stage]++;
        _executing[executor] = false;

        if (_remaining[stage] > 0)
        {
            // More work in this stage: the executor keeps going.
            ExecuteNextTask(executor, stage);
            return;
        }

        var frontierChanged = false;
        if (_finished[stage] == numTasks)
        {
            frontierChanged = CompleteStage(job, stage);
        }

        if (_activeStageCount[job] == 0)
        {
            CompleteJob(job);
        }

        var hadCommitment = HandleReleasedExecutor(executor, stage, frontierChanged);

        // Start a new round where executors were freed: at the job when new stages unlocked, else at the stage.
        if (frontierChanged)
        {
            _tracker.SetSource(JobPool(job));
        }
        else if (!hadCommitment)
        {
            _tracker.SetSource(StagePool(stage));
        }
    }

    private bool CompleteStage(int job, int stage)
    {
        _activeStageCount[job]--;
        if (!_frontier[stage])
        {
            throw new InvalidOperationException($"simulator invariant violated: stage {stage} completed off the frontier");
        }

        _frontier[stage] = false;
        var q = _jobQuery[job];
        var b = _stageBase[job];
        var added = false;
        foreach (var child in q.Dag.ChildrenOf[stage - b])
        {
            var c = b + child;
            if (IsStageComplete(c) || _frontier[c])
            {
                continue;
            }

            var ready = true;
            foreach (var parent in q.Dag.ParentsOf[child])
            {
                if (!IsStageComplete(b + parent))
                {
                    ready = false;
                    break;
                }
            }

            if (ready)
            {
                _frontier[c] = true;
                added = true;
            }
        }

        return added;
    }

    private void CompleteJob(int job)
    {
        var pool = JobPool(job);
        if (_tracker.PoolSize(pool) > 0)
        {
            MoveIdleExecutors(pool, -1);
        }

        if (_tracker.PoolSize(pool) != 0)
        {
            throw new InvalidOperationException($"simulator invariant violated: completed job {job} still holds executors");
        }

        _activeJobs.Remove(job);
        _completedJobs++;
        _completion[job] = WallTimeMs;
    }

    private bool IsStageComplete(int stage) => _finished[stage] == _numTasks[stage];

    private void InsertActiveJob(int job)
    {
        var i = _activeJobs.Count;
        while (i > 0 && _activeJobs[i - 1] > job)
        {
            i--;
        }

        _activeJobs.Insert(i, job);
    }
}
