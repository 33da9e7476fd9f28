using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NetLlm.Cluster;
using NetLlm.Core.Adaptation;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Cli.Cluster;

/// <summary>
/// <c>netllm collect --cluster FILE [--shards N]</c>: the collection is split by policy into N shards (default: one per
/// policy); each shard is a work item — the same <c>netllm collect</c> command line with <c>--shard K/N</c> and its own
/// pool file in <c>OUT.shards/</c> next to the requested pool (the shared folder) — and the submitter merges the shard
/// pools in shard order into the requested pool (atomically), which is the pool the local collection writes with the
/// same seed (see <see cref="CollectionShard"/>); then the shard folder is removed. Writes <c>OUT.cluster.csv</c>.
/// </summary>
public static class ClusterCollection
{
    /// <summary>Options of <c>collect</c> that are not passed to the shards as given (the submitter sets them per shard).</summary>
    private static readonly HashSet<string> NotForwarded = new(StringComparer.Ordinal)
    {
        "--task", "--policy", "--policies", "--seed", "--out", "--json", "--cluster", "--shards", "--shard", "--progress", "--plugins-dir", "--threads",
    };

    /// <summary>The folder of the shard pools of <paramref name="output"/>.</summary>
    /// <param name="output">The requested pool file.</param>
    public static string ShardFolder(string output) => Path.GetFullPath(output) + ".shards";

    /// <summary>The work items: one <c>collect --shard K/N</c> command line per shard.</summary>
    /// <param name="task">Task id.</param>
    /// <param name="policies">The collection's policies.</param>
    /// <param name="seed">The collection's seed.</param>
    /// <param name="output">The requested pool file.</param>
    /// <param name="shards">Shards.</param>
    /// <param name="forwarded">The collect's other options (setting, task options, data root, configuration).</param>
    public static IReadOnlyList<WorkItem> Items(string task, IReadOnlyList<string> policies, int seed, string output, int shards, IReadOnlyList<string> forwarded)
    {
        ArgumentNullException.ThrowIfNull(policies);
        CollectionShards.CheckCount(shards, policies.Count);
        return [.. Enumerable.Range(1, shards).Select(k => new WorkItem
        {
            Id = ShardName(k, shards),
            Arguments =
            [
                "collect", "--task", task, .. policies.SelectMany(p => new[] { "--policy", p }), "--seed", seed.ToString(CultureInfo.InvariantCulture),
                "--out", ShardPath(output, k, shards), "--shard", string.Create(CultureInfo.InvariantCulture, $"{k}/{shards}"), "--progress", "none", .. forwarded,
            ],
        })];
    }

    /// <summary>Runs the shards on the cluster and merges their pools into <paramref name="output"/>.</summary>
    /// <param name="config">The cluster configuration.</param>
    /// <param name="plugins">Loaded plugins (for an in-process silo).</param>
    /// <param name="loggers">Logger factory (for an in-process silo's commands).</param>
    /// <param name="parse">The collect command's parse result (its options are repeated in every shard).</param>
    /// <param name="task">Task id.</param>
    /// <param name="policies">The collection's policies.</param>
    /// <param name="seed">The collection's seed.</param>
    /// <param name="output">The pool file to write.</param>
    /// <param name="shards">Shards, or null for one per policy.</param>
    /// <param name="cancellation">Stops following the grid.</param>
    /// <returns>The lines to print and the JSON result (the shards' runs in policy order).</returns>
    /// <exception cref="InvalidOperationException">Some shards failed (listed with their errors; the csv is written).</exception>
    public static (IReadOnlyList<string> Notes, JsonObject Json) Run(ClusterConfig config, PluginHost plugins, ILoggerFactory loggers, ParseResult parse, string task, IReadOnlyList<string> policies, int seed, string output, int? shards, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(policies);
        var clock = Stopwatch.StartNew();
        var count = shards ?? policies.Count;
        var items = Items(task, policies, seed, output, count, ClusterGrid.Forwarded(parse, NotForwarded));
        Directory.CreateDirectory(ShardFolder(output));
        // The grid is forgotten once read: its results are the shard files, which are merged and removed below.
        var states = ClusterGrid.Run(config, plugins, loggers, GridClient.GridId("collect-" + task, items), items, cancellation, forget: true);
        var csv = Path.ChangeExtension(Path.GetFullPath(output), ".cluster.csv");
        ClusterGrid.WriteCsv(csv, states);
        ClusterGrid.ThrowIfFailed(states, config, csv);

        var pool = CollectionShards.Merge([.. Enumerable.Range(1, count).Select(k => ShardPath(output, k, count))]);
        var collected = pool.Info["policies"]!.AsArray().Select(p => p!["policy"]!.GetValue<string>()).ToList();
        if (!collected.SequenceEqual(policies, StringComparer.Ordinal))
        {
            throw new InvalidDataException($"the shard pools in {ShardFolder(output)} hold the policies {string.Join(", ", collected)}, not {string.Join(", ", policies)}");
        }

        pool.Save(output);
        Directory.Delete(ShardFolder(output), recursive: true);

        // The result: shard 1's JSON with every shard's runs, the merged pool and the whole wall time.
        var json = JsonNode.Parse(states[0].Result!.Json!)!.AsObject();
        json["results"] = new JsonArray([.. states.SelectMany(s => JsonNode.Parse(s.Result!.Json!)!["results"]!.AsArray().Select(r => r!.DeepClone()))]);
        json["artifacts"] = new JsonObject { ["pool"] = Path.GetFullPath(output) };
        json["seconds"] = clock.Elapsed.TotalSeconds;
        return (CollectionShards.Notes(output, pool, policies.Count, seed), json);
    }

    private static string ShardName(int k, int count) => string.Create(CultureInfo.InvariantCulture, $"shard-{k:D3}-of-{count:D3}");

    private static string ShardPath(string output, int k, int count) => Path.Combine(ShardFolder(output), ShardName(k, count) + ".safetensors");
}
