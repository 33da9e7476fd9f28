namespace NetLlm.Tasks.JobScheduling.Data;

/// <summary>
/// Turns the recorded duration tables of a stage into a <see cref="StageProfile"/> the way spark-sched-sim's
/// <c>TPCHJobSequenceGen</c> does: the task count is read before cleaning (first key of the first wave, plus the
/// rest wave at that key); fresh-executor durations are removed from the first wave (as a multiset); empty
/// first-wave levels take the list of the next lower non-empty level; the rough duration is the mean of all
/// cleaned lists.
/// </summary>
public static class StageProfileBuilder
{
    /// <summary>Builds the profile; throws <see cref="InvalidDataException"/> naming <paramref name="where"/>.</summary>
    /// <param name="firstWave">Raw first-wave table.</param>
    /// <param name="restWave">Rest-wave table.</param>
    /// <param name="fresh">Fresh-executor table.</param>
    /// <param name="where">File and stage, named in errors.</param>
    public static StageProfile Build(DurationTable firstWave, DurationTable restWave, DurationTable fresh, string where)
    {
        ArgumentNullException.ThrowIfNull(firstWave);
        ArgumentNullException.ThrowIfNull(restWave);
        ArgumentNullException.ThrowIfNull(fresh);
        if (firstWave.Keys.Count == 0)
        {
            throw new InvalidDataException($"{where}: first_wave has no executor levels");
        }

        var firstKey = firstWave.Keys[0];
        if (!restWave.HasKey(firstKey))
        {
            throw new InvalidDataException($"{where}: rest_wave lacks executor level {firstKey} (needed to count the stage's tasks)");
        }

        var numTasks = firstWave.Get(firstKey).Count + restWave.Get(firstKey).Count;
        var cleaned = CleanFirstWave(firstWave, fresh, where);

        var all = fresh.All().Concat(cleaned.All()).Concat(restWave.All()).ToList();
        if (all.Count == 0)
        {
            throw new InvalidDataException($"{where}: the stage has no recorded durations");
        }

        return new StageProfile(numTasks, cleaned, restWave, fresh, all.Average(), all.Min());
    }

    private static DurationTable CleanFirstWave(DurationTable firstWave, DurationTable fresh, string where)
    {
        var keys = firstWave.Keys.ToArray();
        var lists = new double[keys.Length][];
        for (var i = 0; i < keys.Length; i++)
        {
            if (!fresh.HasKey(keys[i]))
            {
                throw new InvalidDataException($"{where}: fresh_durations lacks executor level {keys[i]} that first_wave has");
            }

            var freshCounts = new Dictionary<double, int>();
            foreach (var d in fresh.Get(keys[i]))
            {
                freshCounts[d] = freshCounts.GetValueOrDefault(d) + 1;
            }

            var kept = new List<double>();
            foreach (var d in firstWave.Get(keys[i]))
            {
                if (freshCounts.TryGetValue(d, out var c) && c > 0)
                {
                    freshCounts[d] = c - 1;
                }
                else
                {
                    kept.Add(d);
                }
            }

            lists[i] = kept.ToArray();
        }

        // Fill empty levels with the nearest lower non-empty level (ascending key order), as the original does.
        var order = Enumerable.Range(0, keys.Length).OrderBy(i => keys[i]).ToArray();
        double[] last = [];
        foreach (var i in order)
        {
            if (lists[i].Length == 0)
            {
                lists[i] = last;
            }

            last = lists[i];
        }

        return new DurationTable(keys, lists);
    }
}
