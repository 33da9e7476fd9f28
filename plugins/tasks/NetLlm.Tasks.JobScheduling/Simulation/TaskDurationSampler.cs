using NetLlm.Tasks.JobScheduling.Data;

namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>
/// Samples task durations from the recorded TPC-H profiles as spark-sched-sim's <c>TaskDurationGen</c> does.
/// The job's number of local executors picks a data level among 5, 10, 20, 40, 50, 60, 80, 100: between two levels
/// the original draws the lower one with probability <c>(n − lower) / (upper − lower)</c> (its interpolation rule,
/// kept as is); a level missing from the stage's first wave falls back to its largest level. An idle executor
/// (just arrived or released) takes a fresh-executor duration, else a first-wave duration plus the warm-up delay;
/// an executor continuing on the same stage takes a rest-wave duration; otherwise a first-wave duration (fresh as
/// fallback). All draws use the environment's <see cref="SimRandom"/>.
/// </summary>
internal sealed class TaskDurationSampler
{
    private static readonly int[] Levels = [5, 10, 20, 40, 50, 60, 80, 100];
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double _warmupMs;

    public TaskDurationSampler(int executors, double warmupMs)
    {
        _warmupMs = warmupMs;
        _left = new int[executors + 1];
        _right = new int[executors + 1];
        BuildIntervals(executors);
    }

    /// <summary>
    /// A duration in ms for the next task of <paramref name="stage"/> on an executor that is idle (no previous task)
    /// or whose previous task was in the same stage (<paramref name="sameStage"/>), with
    /// <paramref name="localExecutors"/> executors at the job.
    /// </summary>
    public double Sample(SimRandom random, StageProfile stage, bool idle, bool sameStage, int localExecutors, TpchQuery query, int stageId)
    {
        var level = SampleLevel(random, localExecutors);
        double[] list;
        if (idle)
        {
            list = stage.FreshByLevel[level];
            if (list.Length > 0)
            {
                return list[random.NextInt(list.Length)];
            }

            list = stage.FirstByLevel[level];
            if (list.Length > 0)
            {
                return list[random.NextInt(list.Length)] + _warmupMs;
            }

            throw Missing(query, stageId, level, "fresh_durations or first_wave");
        }

        if (sameStage)
        {
            list = stage.RestByLevel[level];
            if (list.Length > 0)
            {
                return list[random.NextInt(list.Length)];
            }
        }

        list = stage.FirstByLevel[level];
        if (list.Length == 0)
        {
            list = stage.FreshByLevel[level];
        }

        return list.Length > 0
            ? list[random.NextInt(list.Length)]
            : throw Missing(query, stageId, level, "first_wave or fresh_durations");
    }

    /// <summary>Index into <see cref="StageProfile.SamplingKeys"/> of the data level drawn for a job with this many local executors.</summary>
    private int SampleLevel(SimRandom random, int localExecutors)
    {
        var left = _left[localExecutors];
        var right = _right[localExecutors];
        if (left == right)
        {
            return LevelIndex(left);
        }

        var point = 1 + (int)(random.NextDouble() * (right - left));
        return LevelIndex(point <= localExecutors - left ? left : right);
    }

    private static int LevelIndex(int key) => key switch
    {
        5 => 1,
        10 => 2,
        20 => 3,
        40 => 4,
        50 => 5,
        60 => 6,
        80 => 7,
        100 => 8,
        _ => 0,
    };

    private void BuildIntervals(int cap)
    {
        // Mirrors the original's table, including its edge cases: counts up to 5 use level 5, counts between two
        // levels use both, counts above 100 use 100 (and the cap itself, when above 100, maps to level 0, which
        // then falls back to the stage's largest level).
        void Set(int from, int to, int l, int r)
        {
            for (var i = from; i < to && i <= cap; i++)
            {
                _left[i] = l;
                _right[i] = r;
            }
        }

        Set(0, Levels[0] + 1, Levels[0], Levels[0]);
        for (var i = 0; i < Levels.Length - 1; i++)
        {
            Set(Levels[i] + 1, Levels[i + 1], Levels[i], Levels[i + 1]);
            if (Levels[i + 1] > cap)
            {
                break;
            }

            Set(Levels[i + 1], Levels[i + 1] + 1, Levels[i + 1], Levels[i + 1]);
        }

        if (cap > Levels[^1])
        {
            Set(Levels[^1] + 1, cap, Levels[^1], Levels[^1]);
        }
    }

    private static InvalidDataException Missing(TpchQuery query, int stage, int level, string tables) =>
        new($"{query.Source}: stage {stage} has no {tables} durations at executor level {StageProfile.SamplingKeys[level]}; cannot sample a task duration");
}
