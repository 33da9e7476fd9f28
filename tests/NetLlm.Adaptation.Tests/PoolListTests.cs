using System.Text.Json.Nodes;
using NetLlm.Adaptation.Tests.Toy;
using NetLlm.Core.Adaptation;
using NetLlm.Testing;

namespace NetLlm.Adaptation.Tests;

/// <summary><c>adapt --pool A,B</c>: pools of different collections combined in order.</summary>
public sealed class PoolListTests : IDisposable
{
    private readonly TempDirectory _dir = new("netllm-pools-");

    public void Dispose() => _dir.Dispose();

    private string Save(string name, string task, float rewardBase, params int[] episodeLengths)
    {
        var builder = new ExperiencePoolBuilder<ToyState>(task, new ToyCodec());
        foreach (var length in episodeLengths)
        {
            for (var t = 0; t < length; t++)
            {
                builder.Add(new ToyState(t % 3, t % 2, t + (int)rewardBase), [t % 3], rewardBase + t, t == length - 1);
            }
        }

        var path = _dir.File(name);
        builder.Build(new JsonObject { ["note"] = name }).Save(path);
        return path;
    }

    [Fact]
    public void Combine_ConcatenatesInOrder_RenumbersEpisodes_AndRecordsEachSource()
    {
        var a = Save("a.safetensors", "toy", 0, 3, 2);
        var b = Save("b.safetensors", "toy", 100, 4);
        var pools = PoolList.Parse($"{a}, {b}", "--pool");
        var pool = pools.Load();

        Assert.Equal(9, pool.Count);
        Assert.Equal(3, pool.EpisodeCount);
        Assert.Equal([0, 0, 0, 1, 1, 2, 2, 2, 2], pool.Episodes);
        Assert.Equal([0, 1, 2, 0, 1, 0, 1, 2, 3], pool.Timesteps);
        Assert.Equal([0f, 1, 2, 0, 1, 100, 101, 102, 103], pool.Rewards);
        Assert.Equal(new ToyState(0, 1, 103), pool.StateAt(8, new ToyCodec()));
        Assert.Equal(new ToyState(1, 1, 1), pool.StateAt(4, new ToyCodec()));
        var sources = pool.Info["combined"]!.AsArray();
        Assert.Equal(["a.safetensors", "b.safetensors"], sources.Select(s => s!["info"]!["note"]!.GetValue<string>()));
        Assert.Equal([5, 4], sources.Select(s => s!["steps"]!.GetValue<int>()));
        var (paths, sha) = pools.Fingerprint();
        Assert.Equal($"{a},{b}", paths);
        Assert.Equal($"{ExperiencePool.Fingerprint(a)},{ExperiencePool.Fingerprint(b)}", sha);
        Assert.Equal($"{a} + {b}", pools.Name);
    }

    [Fact]
    public void OnePool_LoadsAsItIs()
    {
        var a = Save("a.safetensors", "toy", 0, 3);
        var pool = PoolList.Parse(a, "--pool").Load();
        Assert.Equal("a.safetensors", pool.Info["note"]!.GetValue<string>());
        Assert.Null(pool.Info["combined"]);
    }

    [Fact]
    public void Combine_RefusesAnotherTask_AnEmptyName_AndARepeatedPool()
    {
        var a = Save("a.safetensors", "toy", 0, 3);
        var other = Save("o.safetensors", "other", 0, 3);
        var e = Assert.Throws<InvalidDataException>(() => PoolList.Parse($"{a},{other}", "--pool").Load());
        Assert.Equal($"{other}: its task 'other' differs from the first pool's ({a}): pools of one task and state codec can be combined, not these", e.Message);
        Assert.Contains("an empty file name", Assert.Throws<ArgumentException>(() => PoolList.Parse($"{a},,{a}", "--pool")).Message, StringComparison.Ordinal);
        Assert.Contains($"names {a} 2 times", Assert.Throws<ArgumentException>(() => PoolList.Parse($"{a},{a}", "--pool")).Message, StringComparison.Ordinal);
    }
}
