namespace NetLlm.Tasks.JobScheduling.Data;

/// <summary>
/// One stage of a TPC-H query: its task count and the duration tables task durations are sampled from.
/// <see cref="FirstWave"/> is the cleaned first wave of the original (fresh-executor durations removed, empty
/// levels filled from the next lower level), exactly as spark-sched-sim preprocesses it.
/// </summary>
/// <param name="NumTasks">Tasks of the stage: first-wave plus rest-wave durations at the first recorded key.</param>
/// <param name="FirstWave">Cleaned first-wave durations.</param>
/// <param name="RestWave">Durations of later tasks on an executor already working on the stage.</param>
/// <param name="Fresh">Durations of the first task of an executor that was idle or moving.</param>
/// <param name="RoughDurationMs">Mean of all durations after cleaning: the initial "most recent duration".</param>
/// <param name="MinDurationMs">Smallest duration in any table (lower bound of any task of this stage).</param>
public sealed record StageProfile(
    int NumTasks,
    DurationTable FirstWave,
    DurationTable RestWave,
    DurationTable Fresh,
    double RoughDurationMs,
    double MinDurationMs)
{
    /// <summary>
    /// The executor-count keys the simulator can ask for: 0 (beyond the last level) and the data levels 5 … 100.
    /// </summary>
    internal static readonly int[] SamplingKeys = [0, 5, 10, 20, 40, 50, 60, 80, 100];

    private double[][]? _fresh;
    private double[][]? _first;
    private double[][]? _rest;

    /// <summary>Fresh-executor durations per sampling key index (after the fallback to the largest level).</summary>
    internal double[][] FreshByLevel => _fresh ?? Resolve().Fresh;

    /// <summary>Cleaned first-wave durations per sampling key index.</summary>
    internal double[][] FirstByLevel => _first ?? Resolve().First;

    /// <summary>Rest-wave durations per sampling key index.</summary>
    internal double[][] RestByLevel => _rest ?? Resolve().RestWave;

    private (double[][] Fresh, double[][] First, double[][] RestWave) Resolve()
    {
        var fresh = new double[SamplingKeys.Length][];
        var first = new double[SamplingKeys.Length][];
        var rest = new double[SamplingKeys.Length][];
        for (var i = 0; i < SamplingKeys.Length; i++)
        {
            // A level the stage's first wave lacks falls back to its largest level, as in the original.
            var key = FirstWave.HasKey(SamplingKeys[i]) ? SamplingKeys[i] : FirstWave.MaxKey;
            fresh[i] = FirstOrEmpty(Fresh, key);
            first[i] = FirstOrEmpty(FirstWave, key);
            rest[i] = FirstOrEmpty(RestWave, key);
        }

        _fresh = fresh;
        _first = first;
        _rest = rest;
        return (fresh, first, rest);
    }

    private static double[] FirstOrEmpty(DurationTable table, int key) => table.TryGetNonEmpty(key, out var list) ? list : [];
}
