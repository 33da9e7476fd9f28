namespace NetLlm.Tasks.JobScheduling.Data;

/// <summary>
/// A TPC-H query at one input size: the job template every arriving job of this kind is instantiated from.
/// Immutable and shared between jobs and environments.
/// </summary>
public sealed class TpchQuery
{
    /// <summary>Creates a template; throws <see cref="InvalidDataException"/> naming <paramref name="source"/> when inconsistent.</summary>
    /// <param name="source">File the query was read from (named in errors).</param>
    /// <param name="query">Query number (1..22 in TPC-H).</param>
    /// <param name="size">Input size, for example <c>10g</c>.</param>
    /// <param name="dag">Stage dependencies.</param>
    /// <param name="stages">One profile per stage, in stage order.</param>
    public TpchQuery(string source, int query, string size, DagStructure dag, IReadOnlyList<StageProfile> stages)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Count != dag.StageCount)
        {
            throw new InvalidDataException(
                $"{source}: the adjacency matrix has {dag.StageCount} stages but task durations are given for {stages.Count}");
        }

        for (var s = 0; s < stages.Count; s++)
        {
            if (stages[s].NumTasks < 1)
            {
                throw new InvalidDataException($"{source}: stage {s} has no tasks");
            }
        }

        Source = source;
        Query = query;
        Size = size;
        Dag = dag;
        StageArray = stages.ToArray();
        TotalTasks = StageArray.Sum(s => s.NumTasks);
        CriticalPathMs = LongestPath(dag, StageArray);
    }

    /// <summary>The file the query was read from.</summary>
    public string Source { get; }

    /// <summary>Query number.</summary>
    public int Query { get; }

    /// <summary>Input size.</summary>
    public string Size { get; }

    /// <summary>Stage dependencies.</summary>
    public DagStructure Dag { get; }

    /// <summary>Number of stages.</summary>
    public int StageCount => StageArray.Length;

    /// <summary>Stage profiles in stage order.</summary>
    public IReadOnlyList<StageProfile> Stages => StageArray;

    /// <summary>Tasks over all stages.</summary>
    public int TotalTasks { get; }

    /// <summary>
    /// Lower bound of the completion time with unlimited executors: the heaviest dependency path where each stage
    /// weighs its shortest possible task duration.
    /// </summary>
    public double CriticalPathMs { get; }

    internal StageProfile[] StageArray { get; }

    /// <inheritdoc />
    public override string ToString() => $"TPCH_{Query}_{Size}";

    private static double LongestPath(DagStructure dag, StageProfile[] stages)
    {
        var finish = new double[stages.Length];
        var best = 0.0;
        foreach (var s in dag.TopologicalOrder)
        {
            var start = 0.0;
            foreach (var p in dag.ParentsOf[s])
            {
                start = Math.Max(start, finish[p]);
            }

            finish[s] = start + stages[s].MinDurationMs;
            best = Math.Max(best, finish[s]);
        }

        return best;
    }
}
