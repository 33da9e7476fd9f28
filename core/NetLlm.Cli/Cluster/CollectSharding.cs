using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NetLlm.Cli.Commands;
using NetLlm.Cli.Infrastructure;
using NetLlm.Cluster;
using NetLlm.Core.Adaptation;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Cli.Cluster;

/// <summary>
/// The options of <c>collect</c> that split a collection by policy: <c>--shard K/N</c> (collect only shard K of N)
/// and <c>--cluster FILE [--shards N]</c> (every shard a work item of a cluster, merged into the pool).
/// </summary>
internal sealed class CollectSharding(PluginHost host, ILoggerFactory loggers)
{
    private readonly Option<string?> _shard = new("--shard") { Description = "Collect only shard K of N (K/N, 1 <= K <= N <= policies) of this collection: its policies, each seeded as in the whole collection; the shards' pools merged in order are the whole pool (what --cluster does)" };
    private readonly Option<int?> _shards = new("--shards") { Description = "With --cluster: shards to split the collection into, by policy (default: one per policy)" };
    private readonly Option<string?> _cluster = ClusterOption.Create("Collect the shards as work items of a cluster (configuration file, see docs/cluster.md) and merge their pools into --out, the pool a local collect writes; --out must be in the shared artifact folder");

    public void Add(Command command)
    {
        command.Options.Add(_shard);
        command.Options.Add(_shards);
        command.Options.Add(_cluster);
    }

    /// <summary>The shard <c>--shard</c> names, or null.</summary>
    public CollectionShard? Shard(ParseResult parse, int policies)
    {
        if (parse.GetValue(_shard) is not { } text)
        {
            return null;
        }

        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new ArgumentException($"--shard: '{text}' is not K/N (shard K of N, for example 2/3)");
        }

        var shard = new CollectionShard(index, count);
        try
        {
            _ = shard.Policies(policies);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--shard {text}: {e.Message}", e);
        }

        return shard;
    }

    /// <summary>Runs the collection on the cluster <c>--cluster</c> names, or returns null when none is named.</summary>
    public (IReadOnlyList<string> Lines, JsonNode Json)? ClusterRun(ParseResult parse, CliSession session, string task, IReadOnlyList<string> policies, string output)
    {
        var shards = parse.GetValue(_shards);
        if (parse.GetValue(_cluster) is not { } file)
        {
            return shards is null ? null : throw new ArgumentException("--shards splits a collection on a cluster: give --cluster FILE too (or --shard K/N to collect one shard here)");
        }

        if (parse.GetValue(_shard) is not null)
        {
            throw new ArgumentException("--shard and --cluster cannot be combined: the cluster runs every shard (choose their number with --shards)");
        }

        try
        {
            CollectionShards.CheckCount(shards ?? policies.Count, policies.Count);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException("--shards: " + e.Message, e);
        }

        return ClusterCollection.Run(ClusterConfig.Load(file), host, loggers, parse, task, policies, session.Seed, output, shards, session.Cancellation);
    }
}
