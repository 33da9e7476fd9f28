using NetLlm.Core.IO;
using NetLlm.Tasks.JobScheduling.Data;
using NetLlm.Testing;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>The TPC-H job templates: JSON loading, the original's preprocessing, and the .npy originals.</summary>
public sealed class TpchDataTests
{
    [DataFact("cjs")]
    public void Catalog_LoadsEveryQueryWithTheDocumentedSizes()
    {
        var all = CjsTestData.Catalog.LoadAll();

        Assert.Equal(154, all.Count);
        foreach (var size in TpchSizes.All)
        {
            // 202 stages per input size (README of the data).
            Assert.Equal(202, all.Where(q => q.Size == size).Sum(q => q.StageCount));
        }

        // Tasks per job range from 13 (q6 at 2g) to 3717 (q21 at 100g).
        Assert.Equal(13, all.Min(q => q.TotalTasks));
        Assert.Equal(13, CjsTestData.Catalog.Get(6, "2g").TotalTasks);
        Assert.Equal(3717, CjsTestData.Catalog.Get(21, "100g").TotalTasks);
        Assert.Equal(18, all.Max(q => q.StageCount));
    }

    [Fact]
    public void Query1At2g_HasTheChainAndTaskCountsOfTheData()
    {
        var q = CjsTestData.Catalog.Get(1, "2g");

        Assert.Equal(4, q.StageCount);
        Assert.Equal([(0, 1), (1, 2), (2, 3)], q.Dag.Edges);
        // Task count = first-wave + rest-wave durations at the first key ("2"): 2 + 10, 2 + 198, 2 + 198, 2 + 3.
        Assert.Equal([12, 200, 200, 5], q.Stages.Select(s => s.NumTasks));
        Assert.Equal(417, q.TotalTasks);
        Assert.True(q.CriticalPathMs > 0);
        Assert.Equal(q.Stages.Sum(s => s.MinDurationMs), q.CriticalPathMs, 6);
    }

    [Fact]
    public void StageProfile_CleansTheFirstWaveLikeTheOriginal()
    {
        // Level 2: fresh durations are removed from the first wave as a multiset (one 7 of two).
        // Level 5: nothing left after cleaning, so it takes level 2's cleaned list. Level 10 keeps its own.
        var first = new DurationTable([2, 5, 10], [[5, 7, 7, 9], [4], [30]]);
        var fresh = new DurationTable([2, 5, 10], [[7, 1], [4], []]);
        var rest = new DurationTable([2, 5, 10], [[3, 3], [], []]);

        var profile = StageProfileBuilder.Build(first, rest, fresh, "test");

        Assert.Equal(4 + 2, profile.NumTasks);
        Assert.Equal([5.0, 7, 9], profile.FirstWave.Get(2));
        Assert.Equal([5.0, 7, 9], profile.FirstWave.Get(5));
        Assert.Equal([30.0], profile.FirstWave.Get(10));
        // Mean of fresh (7, 1, 4) + cleaned first (5, 7, 9, 5, 7, 9, 30) + rest (3, 3).
        Assert.Equal((7 + 1 + 4 + 5 + 7 + 9 + 5 + 7 + 9 + 30 + 3 + 3) / 12.0, profile.RoughDurationMs, 9);
        Assert.Equal(1, profile.MinDurationMs);
    }

    [DataFact("cjs")]
    public void NpyAdjacency_MatchesTheJsonCopyForEveryQuery()
    {
        foreach (var size in TpchSizes.All)
        {
            for (var q = 1; q <= TpchSizes.QueryCount; q++)
            {
                var npy = TpchNpy.ReadAdjacency(TestPaths.Data($"cjs/tpch/{size}/adj_mat_{q}.npy"));
                var json = CjsTestData.Catalog.Get(q, size).Dag;
                Assert.Equal(json.StageCount, npy.StageCount);
                Assert.Equal(json.Edges, npy.Edges);
            }
        }
    }

    [Fact]
    public void PickledTaskDurations_AreRefusedWithAPointerToTheJsonCopies()
    {
        var path = CjsTestData.Data("cjs/tpch/2g/task_duration_1.npy");

        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("tpch_json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DagStructure_OrdersParentsBeforeChildren()
    {
        var dag = DagStructure.FromAdjacency(new double[,] { { 0, 0, 0 }, { 1, 0, 1 }, { 1, 0, 0 } }, "test");

        Assert.Equal([(1, 0), (1, 2), (2, 0)], dag.Edges);
        Assert.Equal([1, 2, 0], dag.TopologicalOrder);
        Assert.Equal([1, 2], dag.Parents[0]);
    }
}
