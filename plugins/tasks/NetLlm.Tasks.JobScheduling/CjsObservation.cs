namespace NetLlm.Tasks.JobScheduling;

/// <summary>
/// What a scheduler sees at a decision: the DAGs of the active jobs (their incomplete stages as nodes, with the
/// dependency edges among them), which stages are schedulable, the executor supply of each job, how many executors
/// can be committed and which job releases them. It is the original's raw observation (node features: remaining
/// tasks, most recent task duration, schedulable flag); <see cref="NodeFeatures"/> adds the five features of the
/// original's <c>NeuralObsWrapper</c>. Immutable plain data; the caller owns it once returned.
/// </summary>
public sealed class CjsObservation
{
    /// <summary>Number of node features of <see cref="NodeFeatures"/>.</summary>
    public const int FeatureCount = 5;

    /// <summary>Divisor of the remaining-tasks feature (the original's <c>num_tasks_scale</c>).</summary>
    public const float TaskScale = 200f;

    /// <summary>Divisor of the remaining-work feature (the original's <c>work_scale</c>).</summary>
    public const float WorkScale = 1e5f;

    private readonly int[] _jobPtr;
    private readonly int[] _jobIds;
    private readonly int[] _execSupplies;
    private readonly int[] _stageIds;
    private readonly int[] _remainingTasks;
    private readonly float[] _recentDurations;
    private readonly int[] _schedulable;
    private readonly int[] _edgeFrom;
    private readonly int[] _edgeTo;
    private int[]? _nodeJob;
    private int[]? _schedulableIndex;
    private bool[]? _hasParent;
    private float[]? _features;

    /// <summary>Creates an observation, checking that its parts are consistent.</summary>
    /// <param name="numExecutors">Executors in the cluster (N).</param>
    /// <param name="committableExecutors">Executors at the source not yet committed (0..N).</param>
    /// <param name="sourceJobIndex">Index of the job releasing executors, or the job count when the source is the common pool.</param>
    /// <param name="jobPtr">Node ranges per job: job j owns nodes <c>jobPtr[j] .. jobPtr[j+1]-1</c> (at least one each).</param>
    /// <param name="jobIds">Episode-wide id of each active job (ascending).</param>
    /// <param name="execSupplies">Executor supply of each job.</param>
    /// <param name="stageIds">Stage index (within its job) of each node.</param>
    /// <param name="remainingTasks">Tasks not yet started, per node.</param>
    /// <param name="recentDurationsMs">Most recent task duration per node (ms).</param>
    /// <param name="schedulableNodes">Nodes that can be chosen, ascending; action index i chooses the i-th.</param>
    /// <param name="edgeFrom">Parent node of each edge.</param>
    /// <param name="edgeTo">Child node of each edge (same job as the parent).</param>
    /// <param name="wallTimeMs">Simulated time of the observation.</param>
    public CjsObservation(
        int numExecutors,
        int committableExecutors,
        int sourceJobIndex,
        int[] jobPtr,
        int[] jobIds,
        int[] execSupplies,
        int[] stageIds,
        int[] remainingTasks,
        float[] recentDurationsMs,
        int[] schedulableNodes,
        int[] edgeFrom,
        int[] edgeTo,
        double wallTimeMs)
        : this(numExecutors, committableExecutors, sourceJobIndex, jobPtr, jobIds, execSupplies, stageIds, remainingTasks,
            recentDurationsMs, schedulableNodes, edgeFrom, edgeTo, wallTimeMs, validate: true)
    {
    }

    internal CjsObservation(
        int numExecutors,
        int committableExecutors,
        int sourceJobIndex,
        int[] jobPtr,
        int[] jobIds,
        int[] execSupplies,
        int[] stageIds,
        int[] remainingTasks,
        float[] recentDurationsMs,
        int[] schedulableNodes,
        int[] edgeFrom,
        int[] edgeTo,
        double wallTimeMs,
        bool validate)
    {
        NumExecutors = numExecutors;
        CommittableExecutors = committableExecutors;
        SourceJobIndex = sourceJobIndex;
        _jobPtr = jobPtr ?? throw new ArgumentNullException(nameof(jobPtr));
        _jobIds = jobIds ?? throw new ArgumentNullException(nameof(jobIds));
        _execSupplies = execSupplies ?? throw new ArgumentNullException(nameof(execSupplies));
        _stageIds = stageIds ?? throw new ArgumentNullException(nameof(stageIds));
        _remainingTasks = remainingTasks ?? throw new ArgumentNullException(nameof(remainingTasks));
        _recentDurations = recentDurationsMs ?? throw new ArgumentNullException(nameof(recentDurationsMs));
        _schedulable = schedulableNodes ?? throw new ArgumentNullException(nameof(schedulableNodes));
        _edgeFrom = edgeFrom ?? throw new ArgumentNullException(nameof(edgeFrom));
        _edgeTo = edgeTo ?? throw new ArgumentNullException(nameof(edgeTo));
        WallTimeMs = wallTimeMs;
        if (validate)
        {
            Validate();
        }
    }

    /// <summary>Executors in the cluster (N).</summary>
    public int NumExecutors { get; }

    /// <summary>Executors that can still be committed in this scheduling round.</summary>
    public int CommittableExecutors { get; }

    /// <summary>Index of the job releasing the executors, or <see cref="JobCount"/> when they come from the common pool.</summary>
    public int SourceJobIndex { get; }

    /// <summary>Simulated time in ms.</summary>
    public double WallTimeMs { get; }

    /// <summary>Active jobs.</summary>
    public int JobCount => _jobIds.Length;

    /// <summary>Nodes (incomplete stages of active jobs).</summary>
    public int NodeCount => _stageIds.Length;

    /// <summary>Edges among the nodes.</summary>
    public int EdgeCount => _edgeFrom.Length;

    /// <summary>Schedulable stages (choices of <see cref="CjsAction.StageIndex"/>).</summary>
    public int SchedulableCount => _schedulable.Length;

    /// <summary>Node ranges per job (<see cref="JobCount"/> + 1 entries).</summary>
    public ReadOnlySpan<int> JobPtr => _jobPtr;

    /// <summary>Episode-wide id of each active job.</summary>
    public ReadOnlySpan<int> JobIds => _jobIds;

    /// <summary>Executor supply per job.</summary>
    public ReadOnlySpan<int> ExecSupplies => _execSupplies;

    /// <summary>Stage index within its job, per node.</summary>
    public ReadOnlySpan<int> StageIds => _stageIds;

    /// <summary>Tasks not yet started, per node.</summary>
    public ReadOnlySpan<int> RemainingTasks => _remainingTasks;

    /// <summary>Most recent task duration per node (ms).</summary>
    public ReadOnlySpan<float> RecentDurationsMs => _recentDurations;

    /// <summary>Schedulable nodes, ascending.</summary>
    public ReadOnlySpan<int> SchedulableNodes => _schedulable;

    /// <summary>Parent node per edge.</summary>
    public ReadOnlySpan<int> EdgeFrom => _edgeFrom;

    /// <summary>Child node per edge.</summary>
    public ReadOnlySpan<int> EdgeTo => _edgeTo;

    /// <summary>
    /// The five node features of the original's <c>NeuralObsWrapper</c>, row-major <c>[NodeCount, 5]</c>:
    /// commit cap of the node's job / N, +1 for the source job's nodes (else −1), executor supply of the job / N,
    /// remaining tasks / 200, remaining tasks × most recent duration / 1e5.
    /// </summary>
    public ReadOnlySpan<float> NodeFeatures => _features ??= BuildFeatures();

    /// <summary>Job index of <paramref name="node"/>.</summary>
    public int JobOfNode(int node) => (_nodeJob ??= BuildNodeJob())[node];

    /// <summary>Index of <paramref name="node"/> among the schedulable nodes, or -1.</summary>
    public int SchedulableIndexOf(int node) => (_schedulableIndex ??= BuildSchedulableIndex())[node];

    /// <summary>True when <paramref name="node"/> has no incomplete parent (its stage is on the job's frontier).</summary>
    public bool IsFrontier(int node) => !(_hasParent ??= BuildHasParent())[node];

    /// <summary>
    /// Most executors that can be committed to job <paramref name="job"/>: all committable executors for the source
    /// job, otherwise <c>min(max(N − supply, 0), committable)</c> (the original's <c>commit_caps</c>).
    /// </summary>
    public int CommitCap(int job) => job == SourceJobIndex
        ? CommittableExecutors
        : Math.Min(Math.Max(NumExecutors - _execSupplies[job], 0), CommittableExecutors);

    private void Validate()
    {
        var jobs = _jobIds.Length;
        var nodes = _stageIds.Length;
        Require(NumExecutors >= 1, $"executors {NumExecutors} must be positive");
        Require(CommittableExecutors >= 0 && CommittableExecutors <= NumExecutors, $"committable executors {CommittableExecutors} not in 0..{NumExecutors}");
        Require(SourceJobIndex >= 0 && SourceJobIndex <= jobs, $"source job index {SourceJobIndex} not in 0..{jobs}");
        Require(_jobPtr.Length == jobs + 1, $"job_ptr has {_jobPtr.Length} entries for {jobs} jobs");
        Require(_execSupplies.Length == jobs, $"exec_supplies has {_execSupplies.Length} entries for {jobs} jobs");
        Require(_jobPtr[0] == 0 && _jobPtr[jobs] == nodes, $"job_ptr must run from 0 to the node count {nodes}");
        for (var j = 0; j < jobs; j++)
        {
            Require(_jobPtr[j + 1] > _jobPtr[j], $"job {j} has no nodes");
            Require(_execSupplies[j] >= 0, $"job {j} has negative supply");
        }

        Require(_remainingTasks.Length == nodes && _recentDurations.Length == nodes, "per-node arrays differ in length");
        for (var i = 0; i < _schedulable.Length; i++)
        {
            Require(_schedulable[i] >= 0 && _schedulable[i] < nodes, $"schedulable node {_schedulable[i]} out of range");
            Require(i == 0 || _schedulable[i] > _schedulable[i - 1], "schedulable nodes must be ascending and distinct");
        }

        Require(_edgeFrom.Length == _edgeTo.Length, "edge arrays differ in length");
        for (var e = 0; e < _edgeFrom.Length; e++)
        {
            var u = _edgeFrom[e];
            var v = _edgeTo[e];
            Require(u >= 0 && u < nodes && v >= 0 && v < nodes && u != v, $"edge {e} ({u} -> {v}) out of range");
            Require(JobOfNode(u) == JobOfNode(v), $"edge {e} ({u} -> {v}) joins two jobs");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"invalid CJS observation: {message}");
        }
    }

    private int[] BuildNodeJob()
    {
        var result = new int[NodeCount];
        for (var j = 0; j < JobCount; j++)
        {
            for (var i = _jobPtr[j]; i < _jobPtr[j + 1]; i++)
            {
                result[i] = j;
            }
        }

        return result;
    }

    private int[] BuildSchedulableIndex()
    {
        var result = new int[NodeCount];
        Array.Fill(result, -1);
        for (var i = 0; i < _schedulable.Length; i++)
        {
            result[_schedulable[i]] = i;
        }

        return result;
    }

    private bool[] BuildHasParent()
    {
        var result = new bool[NodeCount];
        foreach (var v in _edgeTo)
        {
            result[v] = true;
        }

        return result;
    }

    private float[] BuildFeatures()
    {
        var f = new float[NodeCount * FeatureCount];
        float n = NumExecutors;
        for (var j = 0; j < JobCount; j++)
        {
            var cap = CommitCap(j) / n;
            var source = j == SourceJobIndex ? 1f : -1f;
            var supply = _execSupplies[j] / n;
            for (var i = _jobPtr[j]; i < _jobPtr[j + 1]; i++)
            {
                var o = i * FeatureCount;
                f[o] = cap;
                f[o + 1] = source;
                f[o + 2] = supply;
                f[o + 3] = _remainingTasks[i] / TaskScale;
                f[o + 4] = _remainingTasks[i] * _recentDurations[i] / WorkScale;
            }
        }

        return f;
    }
}
