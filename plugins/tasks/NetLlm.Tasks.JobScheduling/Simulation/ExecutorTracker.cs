namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>
/// Where every executor is and where it is promised to go (the original's <c>ExecutorTracker</c>). Pools are
/// integers: <see cref="NoPool"/> (the placeholder source that never holds executors), <see cref="CommonPool"/>
/// (executors not at any job), one pool per job (idle executors at the job) and one per stage (executors working
/// on or waiting at the stage). Commitments from a pool to another keep their insertion order, as the original's
/// dictionaries do. Executor supply per job counts executors at or moving to the job plus commitments made to it
/// from other jobs — including the original's quirk that executors released to the common pool are not
/// subtracted from their former job's supply.
/// </summary>
internal sealed class ExecutorTracker
{
    public const int NoPool = -1;
    public const int CommonPool = 0;
    private const int NoEntry = -1;

    private int _executors;
    private int _jobs;

    // Pool tables (index = pool id).
    private int[] _poolJob = [];
    private int[] _poolSize = [];
    private int[] _commitFrom = [];
    private int[] _commitTo = [];
    private int[] _movingTo = [];
    private int[] _head = [];
    private int[] _tail = [];

    // Commitment entries: a doubly linked list per source pool, nodes recycled through a free list.
    private int[] _entryDst = new int[64];
    private int[] _entryCount = new int[64];
    private int[] _entryNext = new int[64];
    private int[] _entryPrev = new int[64];
    private int _freeEntry = NoEntry;
    private int _entryTop;

    // Executors and jobs.
    private int[] _location = [];
    private int[] _supply = [];

    /// <summary>The current executor source pool.</summary>
    public int Source { get; private set; }

    /// <summary>Resets for an episode whose pools are laid out by <paramref name="poolJob"/>.</summary>
    /// <param name="executors">Number of executors (all start in the common pool).</param>
    /// <param name="jobs">Number of jobs.</param>
    /// <param name="poolJob">Job of each pool (-1 for the common pool); its length is the pool count.</param>
    public void Reset(int executors, int jobs, int[] poolJob)
    {
        _executors = executors;
        _jobs = jobs;
        _poolJob = poolJob;
        var pools = poolJob.Length;
        _poolSize = Fit(_poolSize, pools);
        _commitFrom = Fit(_commitFrom, pools);
        _commitTo = Fit(_commitTo, pools);
        _movingTo = Fit(_movingTo, pools);
        _head = Fit(_head, pools);
        _tail = Fit(_tail, pools);
        Array.Fill(_head, NoEntry, 0, pools);
        Array.Fill(_tail, NoEntry, 0, pools);
        _freeEntry = NoEntry;
        _entryTop = 0;
        _location = Fit(_location, executors);
        Array.Fill(_location, CommonPool, 0, executors);
        _poolSize[CommonPool] = executors;
        _supply = Fit(_supply, jobs + 1);
        Source = CommonPool;
    }

    /// <summary>Job of <paramref name="pool"/>, or -1 for the common pool.</summary>
    public int JobOf(int pool) => pool == NoPool ? -1 : _poolJob[pool];

    /// <summary>The job of the source pool, or -1 when the source is the common pool or none.</summary>
    public int SourceJob => JobOf(Source);

    /// <summary>Executors at the source not yet committed anywhere.</summary>
    public int Committable => Source == NoPool ? 0 : _poolSize[Source] - _commitFrom[Source];

    /// <summary>True when some executor is in the common pool.</summary>
    public bool CommonHasExecutors => _poolSize[CommonPool] > 0;

    /// <summary>Pool where <paramref name="executor"/> is, or <see cref="NoPool"/> while it moves.</summary>
    public int LocationOf(int executor) => _location[executor];

    /// <summary>Executors in <paramref name="pool"/>.</summary>
    public int PoolSize(int pool) => pool == NoPool ? 0 : _poolSize[pool];

    /// <summary>Executors moving to the stage pool.</summary>
    public int MovingTo(int stagePool) => _movingTo[stagePool];

    /// <summary>Commitments made to the stage pool and not yet fulfilled.</summary>
    public int CommitmentsTo(int stagePool) => _commitTo[stagePool];

    /// <summary>Executor supply of <paramref name="job"/>.</summary>
    public int Supply(int job) => _supply[job];

    /// <summary>Sets the source pool.</summary>
    public void SetSource(int pool) => Source = pool;

    /// <summary>Clears the source (no pool is scheduling).</summary>
    public void ClearSource() => Source = NoPool;

    /// <summary>Commits <paramref name="count"/> executors of the source to <paramref name="dstPool"/>.</summary>
    public void AddCommitment(int count, int dstPool)
    {
        var src = Source;
        if (src == NoPool)
        {
            throw new InvalidOperationException("simulator invariant violated: commitment without a source pool");
        }

        var e = _head[src];
        while (e != NoEntry && _entryDst[e] != dstPool)
        {
            e = _entryNext[e];
        }

        if (e == NoEntry)
        {
            e = NewEntry(dstPool);
            _entryPrev[e] = _tail[src];
            if (_tail[src] == NoEntry)
            {
                _head[src] = e;
            }
            else
            {
                _entryNext[_tail[src]] = e;
            }

            _tail[src] = e;
        }

        _entryCount[e] += count;
        _commitFrom[src] += count;
        _commitTo[dstPool] += count;
        if (_poolSize[src] < _commitFrom[src])
        {
            throw new InvalidOperationException($"simulator invariant violated: {_commitFrom[src]} commitments from a pool of {_poolSize[src]} executors");
        }

        var dstJob = JobOf(dstPool);
        if (dstJob != JobOf(src))
        {
            _supply[SupplySlot(dstJob)] += count;
        }
    }

    /// <summary>Removes one commitment of <paramref name="executor"/>'s pool to <paramref name="dstPool"/>; returns that pool.</summary>
    public int RemoveCommitment(int executor, int dstPool)
    {
        var src = _location[executor];
        var e = src == NoPool ? NoEntry : _head[src];
        while (e != NoEntry && _entryDst[e] != dstPool)
        {
            e = _entryNext[e];
        }

        if (e == NoEntry)
        {
            throw new InvalidOperationException($"simulator invariant violated: executor {executor} has no commitment to pool {dstPool}");
        }

        _commitFrom[src]--;
        _commitTo[dstPool]--;
        if (--_entryCount[e] == 0)
        {
            Unlink(src, e);
        }

        var dstJob = JobOf(dstPool);
        if (dstJob != JobOf(src))
        {
            _supply[SupplySlot(dstJob)]--;
        }

        return src;
    }

    /// <summary>The oldest destination <paramref name="pool"/> has commitments to, or <see cref="NoPool"/>.</summary>
    public int PeekCommitment(int pool) => _head[pool] == NoEntry ? NoPool : _entryDst[_head[pool]];

    /// <summary>Copies the source's commitments (destination, count) in insertion order into the buffers.</summary>
    public int CopySourceCommitments(List<int> destinations, List<int> counts)
    {
        destinations.Clear();
        counts.Clear();
        if (Source == NoPool)
        {
            return 0;
        }

        for (var e = _head[Source]; e != NoEntry; e = _entryNext[e])
        {
            destinations.Add(_entryDst[e]);
            counts.Add(_entryCount[e]);
        }

        return destinations.Count;
    }

    /// <summary>An executor reached the stage pool it was sent to.</summary>
    public void CountArrival(int stagePool)
    {
        if (--_movingTo[stagePool] < 0)
        {
            throw new InvalidOperationException("simulator invariant violated: more arrivals than executors sent");
        }
    }

    /// <summary>
    /// Moves <paramref name="executor"/> into <paramref name="pool"/> directly, or (<paramref name="send"/>) starts
    /// sending it there: it leaves its pool and counts as moving to the stage until <see cref="CountArrival"/>.
    /// </summary>
    public void Move(int executor, int pool, bool send = false)
    {
        var old = _location[executor];
        if (old != NoPool)
        {
            _poolSize[old]--;
            _location[executor] = NoPool;
        }

        if (!send)
        {
            _location[executor] = pool;
            _poolSize[pool]++;
            return;
        }

        _movingTo[pool]++;
        var oldJob = old == NoPool ? -1 : JobOf(old);
        var newJob = JobOf(pool);
        if (oldJob == newJob)
        {
            throw new InvalidOperationException("simulator invariant violated: executor sent to the job it is at");
        }

        _supply[SupplySlot(newJob)]++;
        if (oldJob != -1 && --_supply[oldJob] < 0)
        {
            throw new InvalidOperationException("simulator invariant violated: negative executor supply");
        }
    }

    /// <summary>Checks the bookkeeping (tests): pool sizes match executor locations and commitments add up.</summary>
    public void Verify(int pools)
    {
        var counted = new int[pools];
        for (var x = 0; x < _executors; x++)
        {
            if (_location[x] != NoPool)
            {
                counted[_location[x]]++;
            }
        }

        for (var p = 0; p < pools; p++)
        {
            if (counted[p] != _poolSize[p])
            {
                throw new InvalidOperationException($"simulator invariant violated: pool {p} records {_poolSize[p]} executors but holds {counted[p]}");
            }

            var sum = 0;
            for (var e = _head[p]; e != NoEntry; e = _entryNext[e])
            {
                sum += _entryCount[e];
            }

            if (sum != _commitFrom[p] || _commitFrom[p] > _poolSize[p])
            {
                throw new InvalidOperationException($"simulator invariant violated: pool {p} commits {sum} (recorded {_commitFrom[p]}) of {_poolSize[p]} executors");
            }
        }
    }

    private int SupplySlot(int job) => job < 0 ? _jobs : job;

    private int NewEntry(int dst)
    {
        int e;
        if (_freeEntry != NoEntry)
        {
            e = _freeEntry;
            _freeEntry = _entryNext[e];
        }
        else
        {
            if (_entryTop == _entryDst.Length)
            {
                var size = _entryDst.Length * 2;
                Array.Resize(ref _entryDst, size);
                Array.Resize(ref _entryCount, size);
                Array.Resize(ref _entryNext, size);
                Array.Resize(ref _entryPrev, size);
            }

            e = _entryTop++;
        }

        _entryDst[e] = dst;
        _entryCount[e] = 0;
        _entryNext[e] = NoEntry;
        _entryPrev[e] = NoEntry;
        return e;
    }

    private void Unlink(int pool, int e)
    {
        var prev = _entryPrev[e];
        var next = _entryNext[e];
        if (prev == NoEntry)
        {
            _head[pool] = next;
        }
        else
        {
            _entryNext[prev] = next;
        }

        if (next == NoEntry)
        {
            _tail[pool] = prev;
        }
        else
        {
            _entryPrev[next] = prev;
        }

        _entryNext[e] = _freeEntry;
        _freeEntry = e;
    }

    private static int[] Fit(int[] array, int length)
    {
        if (array.Length < length)
        {
            return new int[Math.Max(length, array.Length * 2)];
        }

        Array.Clear(array, 0, length);
        return array;
    }
}
