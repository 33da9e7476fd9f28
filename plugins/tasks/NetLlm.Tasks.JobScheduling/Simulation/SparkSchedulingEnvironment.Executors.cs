namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>Executor movement: commitments, fulfilling them, sending executors between jobs, starting tasks.</summary>
public sealed partial class SparkSchedulingEnvironment
{
    private readonly List<int> _idleToMove = [];

    private void TakeAction(CjsAction action)
    {
        if (action.StageIndex == -1)
        {
            CommitRemainingExecutors();
            return;
        }

        var stage = _schedulable[action.StageIndex];
        var count = Math.Min(action.NumExecutors, Demand(stage));
        if (count <= 0)
        {
            throw new InvalidOperationException($"simulator invariant violated: schedulable stage {stage} has no executor demand");
        }

        AddCommitment(count, StagePool(stage));
        _selected[stage] = true;
        _selectedStages.Add(stage);

        // Only the chosen stage's job changed: recompute its schedulable stages in place.
        var job = _stageJob[stage];
        var from = 0;
        while (from < _schedulable.Count && _stageJob[_schedulable[from]] < job)
        {
            from++;
        }

        var to = from;
        while (to < _schedulable.Count && _stageJob[_schedulable[to]] == job)
        {
            to++;
        }

        _scratchStages.Clear();
        AppendSchedulable(job, _tracker.SourceJob, _scratchStages);
        _schedulable.RemoveRange(from, to - from);
        _schedulable.InsertRange(from, _scratchStages);
    }

    private int Demand(int stage)
    {
        var pool = StagePool(stage);
        return _remaining[stage] - (_tracker.MovingTo(pool) + _tracker.CommitmentsTo(pool));
    }

    private void AddCommitment(int count, int pool)
    {
        _tracker.AddCommitment(count, pool);
        if (_poolStage[pool] >= 0)
        {
            _readyDirty[_poolJob[pool]] = true;
        }
    }

    private int RemoveCommitment(int executor, int pool)
    {
        var src = _tracker.RemoveCommitment(executor, pool);
        if (_poolStage[pool] >= 0)
        {
            _readyDirty[_poolJob[pool]] = true;
        }

        return src;
    }

    /// <summary>Commits the source's uncommitted executors to the common pool (ends the round's choices).</summary>
    private void CommitRemainingExecutors()
    {
        var n = _tracker.Committable;
        if (n > 0)
        {
            AddCommitment(n, ExecutorTracker.CommonPool);
        }
    }

    /// <summary>Sends the source's idle executors where they were committed, oldest commitment first.</summary>
    private void FulfillCommitmentsFromSource()
    {
        CollectIdle(_tracker.Source, _idle);
        _tracker.CopySourceCommitments(_commitDst, _commitCount);
        var k = 0;
        for (var c = 0; c < _commitDst.Count; c++)
        {
            for (var n = _commitCount[c]; n > 0 && k < _idle.Count; n--)
            {
                FulfillCommitment(_idle[k++], _commitDst[c]);
            }
        }

        if (k < _idle.Count)
        {
            throw new InvalidOperationException("simulator invariant violated: idle executors left uncommitted at the end of a round");
        }
    }

    private void FulfillCommitment(int executor, int dstPool)
    {
        var src = RemoveCommitment(executor, dstPool);
        if (dstPool == ExecutorTracker.CommonPool)
        {
            // Not committed to a stage: release it (to the job pool or the common pool).
            MoveIdleExecutors(src, executor);
            return;
        }

        MoveExecutorToStage(executor, _poolStage[dstPool]);
    }

    /// <summary>
    /// Releases idle executors of <paramref name="srcPool"/> (all of them, or only <paramref name="executor"/>):
    /// from a stage pool to the job pool, or to the common pool when the job is saturated; no-op for the common
    /// pool and for an unsaturated job's pool.
    /// </summary>
    private void MoveIdleExecutors(int srcPool, int executor)
    {
        if (srcPool == ExecutorTracker.CommonPool)
        {
            return;
        }

        if (srcPool == ExecutorTracker.NoPool)
        {
            throw new InvalidOperationException("simulator invariant violated: releasing executors without a pool");
        }

        _idleToMove.Clear();
        if (executor >= 0)
        {
            _idleToMove.Add(executor);
        }
        else
        {
            CollectIdle(srcPool, _idleToMove);
            if (_idleToMove.Count == 0)
            {
                throw new InvalidOperationException($"simulator invariant violated: no idle executor to release in pool {srcPool}");
            }
        }

        var job = _poolJob[srcPool];
        var saturated = _saturatedStageCount[job] == _jobQuery[job].StageCount;
        if (_poolStage[srcPool] < 0 && !saturated)
        {
            return;
        }

        var dst = saturated ? ExecutorTracker.CommonPool : JobPool(job);
        foreach (var x in _idleToMove)
        {
            _tracker.Move(x, dst);
            if (dst == ExecutorTracker.CommonPool)
            {
                _localExecutors[job]--;
                _execJob[x] = -1;
                _execTask[x] = -1;
            }
        }
    }

    private void MoveExecutorToStage(int executor, int stage)
    {
        if (_remaining[stage] == 0)
        {
            // Nothing left to start there any more: find another stage or release the executor.
            TryBackupSchedule(executor);
            return;
        }

        var job = _stageJob[stage];
        if (_execJob[executor] != job)
        {
            SendExecutor(executor, stage);
            return;
        }

        if (!_frontier[stage])
        {
            // Parents not finished: wait idle in the job pool.
            _execTask[executor] = -1;
            _tracker.Move(executor, JobPool(job));
            return;
        }

        _tracker.Move(executor, StagePool(stage));
        ExecuteNextTask(executor, stage);
    }

    private void TryBackupSchedule(int executor)
    {
        var backup = FindBackupStage(executor);
        if (backup >= 0)
        {
            MoveExecutorToStage(executor, backup);
            return;
        }

        MoveIdleExecutors(_tracker.LocationOf(executor), executor);
    }

    private int FindBackupStage(int executor)
    {
        var job = _execJob[executor];
        if (job < 0)
        {
            throw new InvalidOperationException($"simulator invariant violated: executor {executor} needs a backup stage but is at no job");
        }

        // The original takes the last stage found: first within the same job, then in the other jobs.
        _scratchStages.Clear();
        AppendSchedulable(job, job, _scratchStages);
        if (_scratchStages.Count > 0)
        {
            return _scratchStages[^1];
        }

        foreach (var other in _activeJobs)
        {
            if (other != job)
            {
                AppendSchedulable(other, job, _scratchStages);
            }
        }

        return _scratchStages.Count > 0 ? _scratchStages[^1] : -1;
    }

    private void SendExecutor(int executor, int stage)
    {
        if (_executing[executor])
        {
            throw new InvalidOperationException($"simulator invariant violated: busy executor {executor} sent away");
        }

        _tracker.Move(executor, StagePool(stage), send: true);
        _readyDirty[_stageJob[stage]] = true;
        var old = _execJob[executor];
        if (old >= 0)
        {
            _localExecutors[old]--;
            _execJob[executor] = -1;
            _execTask[executor] = -1;
        }

        _timeline.Push(WallTimeMs + Options.MovingDelayMs, new SimEvent(SimEventKind.ExecutorArrival, stage, executor));
    }

    private bool HandleReleasedExecutor(int executor, int stage, bool frontierChanged)
    {
        var commitment = _tracker.PeekCommitment(StagePool(stage));
        if (commitment != ExecutorTracker.NoPool)
        {
            FulfillCommitment(executor, commitment);
            return true;
        }

        // Nowhere to go: the executor becomes idle, and joins the job pool when new stages were unlocked.
        _execTask[executor] = -1;
        if (frontierChanged)
        {
            MoveIdleExecutors(StagePool(stage), executor);
        }

        return false;
    }

    private void ExecuteNextTask(int executor, int stage)
    {
        var job = _stageJob[stage];
        if (_remaining[stage] <= 0 || _execJob[executor] != job || _executing[executor])
        {
            throw new InvalidOperationException($"simulator invariant violated: executor {executor} cannot start a task of stage {stage}");
        }

        _remaining[stage]--;
        _processing[stage]++;
        _readyDirty[job] = true;
        if (_remaining[stage] == 0)
        {
            _saturatedStageCount[job]++;
        }

        var q = _jobQuery[job];
        var s = stage - _stageBase[job];
        var previous = _execTask[executor];
        var duration = _sampler.Sample(_random, q.StageArray[s], previous == -1, previous == stage, _localExecutors[job], q, s);
        _execTask[executor] = stage;
        _executing[executor] = true;
        _recentDuration[stage] = duration;
        TaskObserver?.Invoke(new TaskRun(executor, job, s, WallTimeMs, WallTimeMs + duration));
        _timeline.Push(WallTimeMs + duration, new SimEvent(SimEventKind.TaskCompletion, stage, executor));
    }

    private void CollectIdle(int pool, List<int> output)
    {
        output.Clear();
        if (pool == ExecutorTracker.NoPool)
        {
            return;
        }

        for (var x = 0; x < _executing.Length; x++)
        {
            if (!_executing[x] && _tracker.LocationOf(x) == pool)
            {
                output.Add(x);
            }
        }
    }
}
