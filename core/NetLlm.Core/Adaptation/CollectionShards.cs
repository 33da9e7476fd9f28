using System.Globalization;
using System.Text.Json.Nodes;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// Part <see cref="Index"/> (1-based) of a collection split into <see cref="Count"/> shards. A collection is split by
/// policy: policy <c>k</c> of the collection always runs in a fresh environment seeded with <c>seed + k</c> and as a
/// fresh policy seeded with <c>seed</c>, so a shard that runs only its policies (contiguous blocks, sizes differing by
/// at most one) records exactly the steps the whole collection records for them, and the shards' pools concatenated in
/// shard order (<see cref="CollectionShards.Merge"/>) are the whole collection's pool. The episodes of one policy cannot
/// be split: the environment is seeded at its first episode and continues its random stream, and so does the policy.
/// </summary>
/// <param name="Index">The shard, 1 to <paramref name="Count"/>.</param>
/// <param name="Count">Shards of the collection, 1 to the number of policies.</param>
public sealed record CollectionShard(int Index, int Count)
{
    /// <summary>The policies of this shard: indices <c>Start</c> (inclusive) to <c>End</c> (exclusive) of the collection's.</summary>
    /// <param name="policies">Policies of the whole collection.</param>
    /// <exception cref="ArgumentException">The shard does not exist or there are more shards than policies.</exception>
    public (int Start, int End) Policies(int policies)
    {
        CollectionShards.CheckCount(Count, policies);
        if (Index < 1 || Index > Count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"shard {Index} of {Count} does not exist (shards are numbered 1 to {Count})"));
        }

        var size = policies / Count;
        var larger = policies % Count;
        var start = ((Index - 1) * size) + Math.Min(Index - 1, larger);
        return (start, start + size + (Index <= larger ? 1 : 0));
    }

    /// <summary>The <c>info.shard</c> object of a shard's pool.</summary>
    public JsonObject ToJson() => new() { ["index"] = Index, ["count"] = Count };
}

/// <summary>
/// The provenance (<c>info</c>) of a collected pool and the merge of a sharded collection's pools into the pool the
/// whole collection writes (see <see cref="CollectionShard"/>).
/// </summary>
public static class CollectionShards
{
    /// <summary>Refuses a shard count a collection of <paramref name="policies"/> policies cannot be split into.</summary>
    /// <param name="count">Shards.</param>
    /// <param name="policies">Policies of the collection.</param>
    public static void CheckCount(int count, int policies)
    {
        if (count < 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{count} shards: a collection has at least 1 shard"));
        }

        if (count > policies)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{count} shards for {policies} polic{(policies == 1 ? "y" : "ies")}: a collection splits by policy into at most one shard per policy (the episodes of one policy continue one environment's and one policy's random streams, so splitting them would change the pool)"));
        }
    }

    /// <summary>
    /// The <c>info</c> of a collected pool: the policies' runs, the seed, the setting, the task options, the time of
    /// collection and, for a shard, which one.
    /// </summary>
    /// <param name="policies">Per policy: id, episodes, steps, mean episode return, environment seed.</param>
    /// <param name="seed">The collection's seed.</param>
    /// <param name="setting">Setting name.</param>
    /// <param name="options">The task options as resolved.</param>
    /// <param name="shard">The shard, or null for a whole collection.</param>
    public static JsonObject Info(JsonArray policies, int seed, string setting, JsonNode? options, CollectionShard? shard)
    {
        var info = new JsonObject
        {
            ["policies"] = policies,
            ["seed"] = seed,
            ["setting"] = setting,
            ["options"] = options,
            ["created_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        if (shard is not null)
        {
            info["shard"] = shard.ToJson();
        }

        return info;
    }

    /// <summary>The lines a collection prints about its pool.</summary>
    /// <param name="path">The pool file.</param>
    /// <param name="pool">The pool.</param>
    /// <param name="policies">Policies collected.</param>
    /// <param name="seed">The collection's seed.</param>
    public static IReadOnlyList<string> Notes(string path, ExperiencePool pool, int policies, int seed)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return
        [
            $"Experience pool: {Path.GetFullPath(path)}",
            string.Create(CultureInfo.InvariantCulture, $"{pool.Count} steps in {pool.EpisodeCount} episodes from {policies} policies (seed {seed})"),
        ];
    }

    /// <summary>
    /// Concatenates the pools of shards 1 to N of one collection, in that order, into the whole collection's pool:
    /// steps in order, episodes renumbered after the previous shards', state offsets shifted, the policies' provenance
    /// concatenated; the creation time is now. Each file must be the shard its position says, of the same collection
    /// (task, state codec, seed, setting, task options).
    /// </summary>
    /// <param name="paths">The shards' pool files, shard 1 first.</param>
    /// <exception cref="InvalidDataException">A file is not the expected shard or does not match the others (names the file).</exception>
    public static ExperiencePool Merge(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("no shard pool to merge");
        }

        var parts = paths.Select(ExperiencePool.Load).ToList();
        var first = parts[0];
        var policies = new JsonArray();
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var shard = part.Info["shard"];
            if (shard?["index"]?.GetValue<int>() != i + 1 || shard["count"]?.GetValue<int>() != parts.Count)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{paths[i]}: expected shard {i + 1} of {parts.Count} of a collection, the pool's info says {shard?.ToJsonString() ?? "no shard"}"));
            }

            var mismatch = Incompatibility(part, first)
                ?? new[] { "seed", "setting", "options" }.FirstOrDefault(key => !JsonNode.DeepEquals(part.Info[key], first.Info[key]));
            if (mismatch is not null)
            {
                throw new InvalidDataException($"{paths[i]}: its {mismatch} differs from shard 1's ({paths[0]}): the shards are not of one collection");
            }

            foreach (var policy in part.Info["policies"]?.AsArray() ?? [])
            {
                policies.Add(policy?.DeepClone());
            }
        }

        var info = Info(policies, first.Info["seed"]!.GetValue<int>(), first.Info["setting"]!.GetValue<string>(), first.Info["options"]?.DeepClone(), null);
        return Concat(parts, info);
    }

    /// <summary>
    /// What keeps <paramref name="part"/> from being concatenated after <paramref name="first"/> (its task, state codec
    /// version, action components or state arrays, with its value), or null when it fits.
    /// </summary>
    internal static string? Incompatibility(ExperiencePool part, ExperiencePool first) =>
        part.TaskId != first.TaskId ? $"task '{part.TaskId}'"
        : part.CodecVersion != first.CodecVersion ? string.Create(CultureInfo.InvariantCulture, $"state codec version {part.CodecVersion}")
        : part.ActionComponents != first.ActionComponents ? string.Create(CultureInfo.InvariantCulture, $"{part.ActionComponents} action components")
        : !StateArrays(part).SequenceEqual(StateArrays(first)) ? $"state arrays [{string.Join(", ", StateArrays(part))}]"
        : null;

    private static IEnumerable<string> StateArrays(ExperiencePool pool) =>
        pool.FloatArrays.Keys.Select(k => k + " (F32)").Concat(pool.IntArrays.Keys.Select(k => k + " (I64)")).Order(StringComparer.Ordinal);

    internal static ExperiencePool Concat(List<ExperiencePool> parts, JsonObject info)
    {
        var first = parts[0];
        var n = parts.Sum(p => p.Count);
        var components = first.ActionComponents;
        var actions = new long[n, components];
        var rewards = new float[n];
        var dones = new bool[n];
        var episodes = new long[n];
        var timesteps = new long[n];
        var at = 0;
        long episodeBase = 0;
        foreach (var part in parts)
        {
            Buffer.BlockCopy(part.Actions, 0, actions, at * components * sizeof(long), part.Count * components * sizeof(long));
            part.Rewards.CopyTo(rewards, at);
            part.Dones.CopyTo(dones, at);
            part.Timesteps.CopyTo(timesteps, at);
            for (var i = 0; i < part.Count; i++)
            {
                episodes[at + i] = episodeBase + part.Episodes[i];
            }

            at += part.Count;
            episodeBase += part.EpisodeCount;
        }

        return new ExperiencePool(
            first.TaskId,
            first.CodecVersion,
            actions,
            rewards,
            dones,
            episodes,
            timesteps,
            first.FloatArrays.Keys.ToDictionary(k => k, k => Arrays(parts.Select(p => p.FloatArrays[k]).ToList()), StringComparer.Ordinal),
            first.IntArrays.Keys.ToDictionary(k => k, k => Arrays(parts.Select(p => p.IntArrays[k]).ToList()), StringComparer.Ordinal),
            info);
    }

    /// <summary>One state array over the shards: values concatenated, offsets shifted by the previous shards' values.</summary>
    private static (T[] Values, long[] Offsets) Arrays<T>(List<(T[] Values, long[] Offsets)> parts)
    {
        var values = new T[parts.Sum(p => p.Values.Length)];
        var offsets = new long[parts.Sum(p => p.Offsets.Length - 1) + 1];
        var valueAt = 0;
        var offsetAt = 1;
        foreach (var (partValues, partOffsets) in parts)
        {
            partValues.CopyTo(values, valueAt);
            for (var i = 1; i < partOffsets.Length; i++)
            {
                offsets[offsetAt++] = valueAt + partOffsets[i];
            }

            valueAt += partValues.Length;
        }

        return (values, offsets);
    }
}
