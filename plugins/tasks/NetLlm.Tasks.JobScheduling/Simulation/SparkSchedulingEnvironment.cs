using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Spaces;
using NetLlm.Tasks.JobScheduling.Data;

namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>
/// The event-driven Spark cluster simulator of spark-sched-sim (as used by NetLLM), ported faithfully: Poisson job
/// arrivals of random TPC-H (query, size) pairs; executors in per-job, per-stage and common pools; commitment rounds
/// in which the scheduler is consulted while executors are committable and stages schedulable; a moving delay
/// between jobs and a warm-up delay for fresh executors; task durations sampled from the recorded profiles. The
/// reward of a step is minus the total time jobs spent in the system during the simulated interval (ms; 0 within a
/// round). An episode terminates when every job completed; it is truncated when the scheduler left nothing running
/// while jobs wait (the original asserts in that case). One <see cref="SimRandom"/> drives everything (see its
/// remarks for the deliberate difference from the original). Not thread-safe; holds no tensors.
/// </summary>
public sealed partial class SparkSchedulingEnvironment : IEnvironment<CjsObservation, CjsAction>
{
    /// <summary>The environment id.</summary>
    public const string EnvironmentId = "cjs/SparkSchedSim-v0";

    private readonly TpchCatalog _catalog;
    private readonly SimRandom _random = new(0);
    private readonly TaskDurationSampler _sampler;
    private readonly ExecutorTracker _tracker = new();
    private readonly SimTimeline _timeline = new();
    private readonly CjsActionSpace _actionSpace;
    private readonly List<int> _activeJobs = [];
    private readonly List<int> _schedulable = [];
    private readonly List<int> _selectedStages = [];
    private readonly List<int> _scratchStages = [];
    private readonly List<int> _scratchJobs = [];
    private readonly List<int> _commitDst = [];
    private readonly List<int> _commitCount = [];
    private readonly List<int> _idle = [];

    // Jobs.
    private TpchQuery[] _jobQuery = [];
    private double[] _arrival = [];
    private double[] _completion = [];
    private int[] _stageBase = [];
    private int[] _activeStageCount = [];
    private int[] _saturatedStageCount = [];
    private int[] _localExecutors = [];
    private int[] _readyCount = [];
    private bool[] _readyDirty = [];
    private int _completedJobs;

    // Stages (global index = stage base of the job + stage id).
    private int[] _stageJob = [];
    private int[] _numTasks = [];
    private int[] _remaining = [];
    private int[] _processing = [];
    private int[] _finished = [];
    private double[] _recentDuration = [];
    private bool[] _frontier = [];
    private bool[] _selected = [];
    private int[] _readyStages = [];
    private int[] _nodeIndex = [];

    // Pools.
    private int[] _poolJob = [];
    private int[] _poolStage = [];

    // Executors.
    private readonly int[] _execJob;
    private readonly int[] _execTask;
    private readonly bool[] _executing;

    private CjsObservation? _current;
    private bool _terminated;
    private int _nextArrival;

    /// <summary>Creates an environment over a TPC-H catalog.</summary>
    /// <param name="catalog">The job templates.</param>
    /// <param name="options">Cluster and workload parameters (validated here).</param>
    public SparkSchedulingEnvironment(TpchCatalog catalog, SparkSimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _catalog = catalog;
        Options = options;
        _sampler = new TaskDurationSampler(options.Executors, options.WarmupDelayMs);
        _execJob = new int[options.Executors];
        _execTask = new int[options.Executors];
        _executing = new bool[options.Executors];
        _actionSpace = new CjsActionSpace(this);
        ObservationSpace = new CjsObservationSpace(options.Executors);
    }

    /// <inheritdoc />
    public string Id => EnvironmentId;

    /// <summary>The parameters.</summary>
    public SparkSimulatorOptions Options { get; }

    /// <inheritdoc />
    public ISpace<CjsObservation> ObservationSpace { get; }

    /// <inheritdoc />
    public ISpace<CjsAction> ActionSpace => _actionSpace;

    /// <summary>The latest observation (null before the first reset).</summary>
    public CjsObservation? Current => _current;

    /// <summary>Simulated time in ms.</summary>
    public double WallTimeMs { get; private set; }

    /// <summary>Steps (decisions) taken since the last reset.</summary>
    public int Steps { get; private set; }

    /// <summary>Simulation events processed since the last reset (arrivals, task completions, executor moves).</summary>
    public long Events { get; private set; }

    /// <summary>Jobs completed so far.</summary>
    public int CompletedJobs => _completedJobs;

    /// <summary>Called with every task execution as it starts (tests and tracing); null for none.</summary>
    public Action<TaskRun>? TaskObserver { get; set; }

    /// <summary>Also verify the executor bookkeeping after every step (slow; tests).</summary>
    public bool VerifyInvariants { get; set; }

    /// <inheritdoc />
    public ResetResult<CjsObservation> Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        if (seed is { } s)
        {
            _random.Reseed(s);
        }

        GenerateJobs();
        WallTimeMs = 0;
        Steps = 0;
        Events = 0;
        _completedJobs = 0;
        _terminated = false;
        _activeJobs.Clear();
        _selectedStages.Clear();
        Array.Fill(_execJob, -1);
        Array.Fill(_execTask, -1);
        Array.Clear(_executing);
        _tracker.Reset(Options.Executors, _jobQuery.Length, _poolJob);

        // Jobs arriving at time 0 are loaded before the first decision.
        while (_nextArrival < _jobQuery.Length && _arrival[_nextArrival] <= 0)
        {
            HandleJobArrival(_nextArrival++);
        }

        _schedulable.Clear();
        FindSchedulableInActiveJobs(_schedulable);
        _current = Observe();
        return new ResetResult<CjsObservation>(_current, EmptyInfo.Instance);
    }

    /// <inheritdoc />
    public StepResult<CjsObservation> Step(CjsAction action)
    {
        if (_current is null || _terminated)
        {
            throw new InvalidOperationException(_current is null ? "call Reset before Step" : "the episode is over (terminated or truncated); call Reset");
        }

        if (!_actionSpace.Contains(action))
        {
            throw new ArgumentException(
                $"invalid CJS action {action}: stage index must be -1..{_current.SchedulableCount - 1} and executors 1..{_current.CommittableExecutors}",
                nameof(action));
        }

        Steps++;
        TakeAction(action);
        if (_tracker.Committable > 0 && _schedulable.Count > 0)
        {
            // Still decisions to make in this round.
            _current = Observe();
            return new StepResult<CjsObservation>(_current, 0, false, false, EmptyInfo.Instance);
        }

        // The round is over: commit what is left, send the idle executors, then simulate to the next decision.
        CommitRemainingExecutors();
        FulfillCommitmentsFromSource();
        _tracker.ClearSource();
        foreach (var g in _selectedStages)
        {
            _selected[g] = false;
        }

        _selectedStages.Clear();

        var start = WallTimeMs;
        _scratchJobs.Clear();
        _scratchJobs.AddRange(_activeJobs);
        ResumeSimulation();
        var reward = -JobTime(start, _scratchJobs);
        var terminated = _completedJobs == _jobQuery.Length;

        // Nothing left to simulate although jobs wait: the scheduler released every executor while no task runs and
        // no job is still to arrive (for example by always choosing "no stage"). The original asserts here; this
        // port ends the episode as truncated, so the metric counts the waiting jobs up to this time.
        var truncated = !terminated && (_tracker.Committable == 0 || _schedulable.Count == 0);
        _terminated = terminated || truncated;

        if (VerifyInvariants)
        {
            Verify();
        }

        _current = Observe();
        return new StepResult<CjsObservation>(_current, reward, terminated, truncated, EmptyInfo.Instance);
    }

    /// <summary>The episode's jobs (all of them, including those not arrived yet) and their outcomes so far.</summary>
    public IReadOnlyList<JobOutcome> JobOutcomes()
    {
        var result = new JobOutcome[_jobQuery.Length];
        for (var j = 0; j < result.Length; j++)
        {
            var q = _jobQuery[j];
            result[j] = new JobOutcome(j, q.Query, q.Size, _arrival[j], _completion[j], q.TotalTasks, q.CriticalPathMs);
        }

        return result;
    }

    /// <summary>
    /// The original's JCT metric: for every job that has arrived, its id and <c>min(completion, wall time) − arrival</c>
    /// in ms, active jobs first, then completed ones (completion order).
    /// </summary>
    public IReadOnlyList<(int Job, double DurationMs)> JobTimesMs()
    {
        var result = new List<(int, double)>(_jobQuery.Length);
        foreach (var j in _activeJobs)
        {
            result.Add((j, Math.Min(_completion[j], WallTimeMs) - _arrival[j]));
        }

        foreach (var j in Enumerable.Range(0, _jobQuery.Length).Where(j => double.IsFinite(_completion[j])).OrderBy(j => _completion[j]))
        {
            result.Add((j, _completion[j] - _arrival[j]));
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Plain managed state only.
    }

    private void GenerateJobs()
    {
        var jobs = Options.Jobs;
        _jobQuery = Fit(_jobQuery, jobs);
        _arrival = Fit(_arrival, jobs);
        _completion = Fit(_completion, jobs);
        _stageBase = Fit(_stageBase, jobs + 1);
        var meanGap = 1.0 / Options.ArrivalRatePerMs;
        var t = 0.0;
        for (var j = 0; j < jobs; j++)
        {
            var query = 1 + _random.NextInt(TpchSizes.QueryCount);
            var size = _random.NextInt(TpchSizes.All.Count);
            _jobQuery[j] = _catalog.Get(query, size);
            _arrival[j] = t;
            _completion[j] = double.PositiveInfinity;
            _stageBase[j + 1] = _stageBase[j] + _jobQuery[j].StageCount;
            t += _random.Exponential(meanGap);
        }

        var stages = _stageBase[jobs];
        _activeStageCount = Fit(_activeStageCount, jobs);
        _saturatedStageCount = Fit(_saturatedStageCount, jobs);
        _localExecutors = Fit(_localExecutors, jobs);
        _readyCount = Fit(_readyCount, jobs);
        _readyDirty = Fit(_readyDirty, jobs);
        _stageJob = Fit(_stageJob, stages);
        _numTasks = Fit(_numTasks, stages);
        _remaining = Fit(_remaining, stages);
        _processing = Fit(_processing, stages);
        _finished = Fit(_finished, stages);
        _recentDuration = Fit(_recentDuration, stages);
        _frontier = Fit(_frontier, stages);
        _selected = Fit(_selected, stages);
        _readyStages = Fit(_readyStages, stages);
        _nodeIndex = Fit(_nodeIndex, stages);
        var pools = 1 + jobs + stages;
        _poolJob = new int[pools];
        _poolStage = new int[pools];
        _poolJob[ExecutorTracker.CommonPool] = -1;
        _poolStage[ExecutorTracker.CommonPool] = -1;

        _timeline.Clear();
        for (var j = 0; j < jobs; j++)
        {
            var q = _jobQuery[j];
            _activeStageCount[j] = q.StageCount;
            _readyDirty[j] = true;
            _poolJob[JobPool(j)] = j;
            _poolStage[JobPool(j)] = -1;
            for (var s = 0; s < q.StageCount; s++)
            {
                var g = _stageBase[j] + s;
                _stageJob[g] = j;
                _numTasks[g] = q.StageArray[s].NumTasks;
                _remaining[g] = q.StageArray[s].NumTasks;
                _recentDuration[g] = q.StageArray[s].RoughDurationMs;
                _frontier[g] = q.Dag.ParentsOf[s].Length == 0;
                _poolJob[StagePool(g)] = j;
                _poolStage[StagePool(g)] = g;
            }
        }

        // Arrivals are already in time order, so they stay out of the heap: the next one is merged in when due.
        // The original pushes them first, so at equal times an arrival comes before any other event.
        _nextArrival = 0;
    }

    private int JobPool(int job) => 1 + job + _stageBase[job];

    private int StagePool(int stage) => 2 + _stageJob[stage] + stage;

    private double JobTime(double start, List<int> activeBefore)
    {
        var end = WallTimeMs;
        if (end == start)
        {
            return 0;
        }

        // Jobs active before or after the simulated interval (both lists ascend by id).
        var total = 0.0;
        int a = 0, b = 0;
        while (a < activeBefore.Count || b < _activeJobs.Count)
        {
            int j;
            if (b >= _activeJobs.Count || (a < activeBefore.Count && activeBefore[a] < _activeJobs[b]))
            {
                j = activeBefore[a++];
            }
            else if (a >= activeBefore.Count || _activeJobs[b] < activeBefore[a])
            {
                j = _activeJobs[b++];
            }
            else
            {
                j = activeBefore[a++];
                b++;
            }

            total += Math.Min(_completion[j], end) - Math.Max(_arrival[j], start);
        }

        return total;
    }

    private void Verify()
    {
        _tracker.Verify(_poolJob.Length);
        var executing = 0;
        for (var x = 0; x < _executing.Length; x++)
        {
            if (!_executing[x])
            {
                continue;
            }

            executing++;
            var loc = _tracker.LocationOf(x);
            if (loc == ExecutorTracker.NoPool || _poolStage[loc] != _execTask[x])
            {
                throw new InvalidOperationException($"simulator invariant violated: executor {x} executes stage {_execTask[x]} but is in pool {loc}");
            }
        }

        var processing = 0;
        for (var g = 0; g < _stageBase[_jobQuery.Length]; g++)
        {
            processing += _processing[g];
        }

        if (processing != executing)
        {
            throw new InvalidOperationException($"simulator invariant violated: {processing} tasks processing on {executing} busy executors");
        }
    }

    private static T[] Fit<T>(T[] array, int length)
    {
        if (array.Length < length)
        {
            return new T[Math.Max(length, array.Length * 2)];
        }

        Array.Clear(array, 0, length);
        return array;
    }
}
