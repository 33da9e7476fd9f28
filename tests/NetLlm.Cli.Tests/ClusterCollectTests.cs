using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NetLlm.Core.Adaptation;
using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

/// <summary>
/// <c>netllm collect --cluster</c> with an in-process cluster: the collection is split by policy into shards run as
/// work items, and the merged pool is the local collection's pool byte for byte, apart from the time of creation the
/// pool records (<c>info.created_utc</c>, which differs between any two collections); bad sharding options exit 2.
/// </summary>
[Collection(CliCollection.Name)]
public sealed partial class ClusterCollectTests : IDisposable
{
    private readonly CliHarness _cli;
    private readonly TempDirectory _dir = new("netllm-cluster-collect-");

    public ClusterCollectTests(CliHarness cli)
    {
        _cli = cli;
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A pool file's bytes with its creation time masked (asserted to occur once): equal masks mean equal steps, states and provenance.</summary>
    /// <param name="path">The pool file.</param>
    public static string WithoutCreationTime(string path)
    {
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(path));
        Assert.Single(CreationTime().Matches(text));
        return CreationTime().Replace(text, "created_utc(masked)");
    }

    [Theory]
    [InlineData(null, 3)]
    [InlineData("2", 2)]
    public void ClusterCollect_MergesTheShardsInto_TheLocalPool(string? shards, int expectedShards)
    {
        var config = Write("cluster.json", """{ "clustering": "inprocess", "workers": 2 }""");
        string[] Collect(string pool) =>
        [
            "collect", "--task", "abr", "--policies", "abr.bba,abr.genet,abr.mpc", "--seed", "7", "--setting", "synthetic", "--trace-count", "2",
            "--out", pool, "--progress", "none", "--data-root", TestPaths.FixtureData, "--json",
        ];
        var local = Path.Combine(_dir.Path, "local.safetensors");
        var cluster = Path.Combine(_dir.Path, "cluster.safetensors");

        var localRun = _cli.Run(Collect(local));
        var clusterRun = _cli.Run([.. Collect(cluster), "--cluster", config, .. shards is null ? Array.Empty<string>() : ["--shards", shards]]);

        Assert.True(localRun.Exit == 0, localRun.Error);
        Assert.True(clusterRun.Exit == 0, clusterRun.Error);
        Assert.Equal(WithoutCreationTime(local), WithoutCreationTime(cluster));
        var pool = ExperiencePool.Load(cluster);
        Assert.Equal(3 * 2, pool.EpisodeCount);
        Assert.Equal([7, 8, 9], pool.Info["policies"]!.AsArray().Select(p => p!["env_seed"]!.GetValue<int>()));
        Assert.Null(pool.Info["shard"]);

        // The JSON result has the local one's runs (policy, seed, steps, return); the shard folder is gone.
        static IEnumerable<string> Runs(string json) => JsonNode.Parse(json)!["results"]!.AsArray().Select(r => r!["run"]!.ToJsonString());
        Assert.Equal(Runs(localRun.Out), Runs(clusterRun.Out));
        Assert.Equal(cluster, (string)JsonNode.Parse(clusterRun.Out)!["artifacts"]!["pool"]!);
        Assert.Contains($"{pool.Count} steps in 6 episodes from 3 policies (seed 7)", clusterRun.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(cluster + ".shards"));
        var rows = File.ReadAllLines(Path.Combine(_dir.Path, "cluster.cluster.csv"));
        Assert.Equal(expectedShards, rows.Length - 1);
        Assert.All(rows.Skip(1), r => Assert.Matches(@"^shard-00\d-of-00\d,done,1,", r));
    }

    [DataFact("cjs")]
    public void ClusterCollect_Cjs_VariableSizeStates_MergeIntoTheLocalPool()
    {
        var config = Write("cluster.json", """{ "clustering": "inprocess", "workers": 1 }""");
        string[] Collect(string pool) =>
        [
            "collect", "--task", "cjs", "--policies", "cjs.fifo,cjs.decima", "--jobs", "5", "--episodes", "2", "--seed", "3",
            "--out", pool, "--progress", "none", "--data-root", TestPaths.DataRoot,
        ];
        var local = Path.Combine(_dir.Path, "local.safetensors");
        var cluster = Path.Combine(_dir.Path, "cluster.safetensors");

        var localRun = _cli.Run(Collect(local));
        var clusterRun = _cli.Run([.. Collect(cluster), "--cluster", config]);

        Assert.True(localRun.Exit == 0, localRun.Error);
        Assert.True(clusterRun.Exit == 0, clusterRun.Error);
        Assert.Equal(WithoutCreationTime(local), WithoutCreationTime(cluster));
        var pool = ExperiencePool.Load(cluster);
        Assert.Equal(4, pool.EpisodeCount);
        Assert.True(pool.IntArrays.Count + pool.FloatArrays.Count > 1, "CJS states are several arrays");
    }

    [Fact]
    public void Shard_CollectsOnlyItsPolicies_SeededAsInTheWholeCollection()
    {
        var shard = Path.Combine(_dir.Path, "shard.safetensors");

        var run = _cli.Run("collect", "--task", "abr", "--policies", "abr.bba,abr.genet,abr.mpc", "--seed", "7", "--shard", "2/3", "--out", shard, "--progress", "none", "--data-root", TestPaths.FixtureData);

        Assert.True(run.Exit == 0, run.Error);
        var pool = ExperiencePool.Load(shard);
        var policy = Assert.Single(pool.Info["policies"]!.AsArray());
        Assert.Equal("abr.genet", (string)policy!["policy"]!);
        Assert.Equal(8, (int)policy["env_seed"]!);
        Assert.Equal(7, (int)pool.Info["seed"]!);
        Assert.Equal("""{"index":2,"count":3}""", pool.Info["shard"]!.ToJsonString());
        Assert.Contains("from 1 policies (seed 7)", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cluster,CONFIG,--shards,0", "--shards: 0 shards: a collection has at least 1 shard")]
    [InlineData("--cluster,CONFIG,--shards,4", "--shards: 4 shards for 3 policies: a collection splits by policy into at most one shard per policy")]
    [InlineData("--shards,2", "--shards splits a collection on a cluster: give --cluster FILE too")]
    [InlineData("--cluster,CONFIG,--shard,1/2", "--shard and --cluster cannot be combined")]
    [InlineData("--shard,3/2", "--shard 3/2: shard 3 of 2 does not exist (shards are numbered 1 to 2)")]
    [InlineData("--shard,two", "--shard: 'two' is not K/N (shard K of N, for example 2/3)")]
    [InlineData("--cluster,CONFIG,--shards,four", "Cannot parse argument 'four' for option '--shards'")]
    public void BadSharding_SaysWhatIsWrong_Exit2_AndWritesNothing(string extra, string message)
    {
        var config = Write("cluster.json", """{ "clustering": "inprocess" }""");
        var pool = Path.Combine(_dir.Path, "pool.safetensors");

        var run = _cli.Run([
            "collect", "--task", "abr", "--policies", "abr.bba,abr.genet,abr.mpc", "--out", pool, "--progress", "none", "--data-root", TestPaths.FixtureData,
            .. extra.Replace("CONFIG", config, StringComparison.Ordinal).Split(','),
        ]);

        Assert.Equal(2, run.Exit);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(pool));
        Assert.False(Directory.Exists(pool + ".shards"));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    // In the header, info is a JSON string inside JSON: created_utc\u0022:\u00222026-01-02T03:04:05.0000000Z\u0022
    [GeneratedRegex(@"created_utc\\u0022:\\u0022[0-9T:.\-]+Z\\u0022")]
    private static partial Regex CreationTime();
}
