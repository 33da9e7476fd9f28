using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetLlm.Cluster;
using NetLlm.Core.IO;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Cli.Cluster;

/// <summary>
/// Runs a grid of work items on the cluster a configuration names — in an in-process silo, or as a client of silo
/// processes — printing a line whenever an item changes (attempt started on a worker, done, re-queued, failed) and the
/// counts with the throughput; and writes <c>cluster.csv</c>.
/// </summary>
public static class ClusterGrid
{
    /// <summary>Runs the grid; returns its items' final states in submission order.</summary>
    /// <param name="config">The cluster configuration.</param>
    /// <param name="plugins">Loaded plugins (for an in-process silo).</param>
    /// <param name="loggers">Logger factory (for an in-process silo's commands).</param>
    /// <param name="grid">Grid id.</param>
    /// <param name="items">The items.</param>
    /// <param name="cancellation">Stops following the grid.</param>
    /// <param name="forget">Forget the finished grid (<see cref="IGridGrain.Forget"/>): its results are files the caller consumes.</param>
    public static IReadOnlyList<GridItemState> Run(ClusterConfig config, PluginHost plugins, ILoggerFactory loggers, string grid, IReadOnlyList<WorkItem> items, CancellationToken cancellation, bool forget = false)
    {
        using var host = config.Clustering == ClusteringMode.InProcess
            ? ClusterHost.Silo(plugins, loggers, config, ClusterHosting.FreePort(), ClusterHosting.FreePort())
            : ClusterHost.Client(config);
        host.StartAsync(cancellation).GetAwaiter().GetResult();
        try
        {
            Console.Error.WriteLine($"cluster: grid {grid}: {items.Count} item(s) submitted ({config.Clustering.ToString().ToLowerInvariant()})");
            var last = "";
            var seen = new Dictionary<string, GridItemProgress>(StringComparer.Ordinal);
            var states = GridClient.Run(host.Services.GetRequiredService<IGrainFactory>(), grid, items, config, p =>
            {
                foreach (var item in p.Items.Where(i => !seen.TryGetValue(i.Id, out var before) || before.Status != i.Status || before.Attempts != i.Attempts))
                {
                    seen[item.Id] = item;
                    if (item.Attempts > 0)
                    {
                        Console.Error.WriteLine(ItemLine(item));
                    }
                }

                var line = string.Create(CultureInfo.InvariantCulture, $"cluster: {p.Done}/{p.Items.Count} done, {p.Running} running, {p.Failed} failed");
                if (line != last)
                {
                    last = line;
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{line}, {p.ItemsPerMinute:F1} item(s)/min ({p.Seconds:F0} s)"));
                }
            }, cancellation, forget).GetAwaiter().GetResult();
            return states;
        }
        finally
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            host.StopAsync(limit.Token).GetAwaiter().GetResult();
        }
    }

    /// <summary>The options given to a submitting command that every item's command line repeats (all but <paramref name="notForwarded"/>).</summary>
    /// <param name="parse">The command's parse result.</param>
    /// <param name="notForwarded">Options the submitter sets per item or keeps for itself.</param>
    public static IReadOnlyList<string> Forwarded(ParseResult parse, IReadOnlySet<string> notForwarded)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(notForwarded);
        var line = new List<string>();
        var results = parse.CommandResult.Children.OfType<OptionResult>().Concat(parse.RootCommandResult.Children.OfType<OptionResult>());
        foreach (var result in results.Where(r => !r.Implicit && !notForwarded.Contains(r.Option.Name)))
        {
            if (result.Tokens.Count == 0)
            {
                line.Add(result.Option.Name);
            }

            foreach (var token in result.Tokens)
            {
                line.Add(result.Option.Name);
                line.Add(token.Value);
            }
        }

        return line;
    }

    /// <summary>Throws naming every item that did not finish and its error (<paramref name="csv"/> lists them all).</summary>
    /// <param name="states">The items' final states.</param>
    /// <param name="config">The configuration (attempts).</param>
    /// <param name="csv">The cluster.csv written for the grid.</param>
    /// <exception cref="InvalidOperationException">Some items failed.</exception>
    public static void ThrowIfFailed(IReadOnlyList<GridItemState> states, ClusterConfig config, string csv)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(config);
        var failed = states.Where(s => s.Status != GridItemStatus.Done).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"{failed.Count} of {states.Count} work item(s) failed after {config.MaxAttempts} attempt(s) (see {csv}): "
                + string.Join("; ", failed.Select(f => f.Item.Id + ": " + f.Error)));
        }
    }

    /// <summary>A progress line for an item whose status changed.</summary>
    private static string ItemLine(GridItemProgress item) => item.Status switch
    {
        GridItemStatus.Running => $"cluster: {item.Id}: attempt {item.Attempts} running on {item.Worker}",
        GridItemStatus.Done => string.Create(CultureInfo.InvariantCulture, $"cluster: {item.Id}: done on {item.Worker} ({item.Seconds:F1} s)"),
        GridItemStatus.Failed => $"cluster: {item.Id}: failed after {item.Attempts} attempt(s): {item.Error}",
        _ => $"cluster: {item.Id}: re-queued: {item.Error}",
    };

    /// <summary>Writes <c>cluster.csv</c>: item, status, attempts, worker, seconds, last error.</summary>
    /// <param name="path">The file.</param>
    /// <param name="states">The items' states.</param>
    public static void WriteCsv(string path, IReadOnlyList<GridItemState> states)
    {
        var csv = new StringBuilder().AppendLine("item,status,attempts,worker,seconds,last_error");
        foreach (var s in states)
        {
            string[] row = [s.Item.Id, s.Status.ToString().ToLowerInvariant(), s.Attempts.ToString(CultureInfo.InvariantCulture), s.Worker ?? "", s.Result?.Seconds.ToString("F3", CultureInfo.InvariantCulture) ?? "", s.Error ?? ""];
            csv.AppendLine(string.Join(',', row.Select(v => v.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v)));
        }

        AtomicFile.WriteAllText(path, csv.ToString());
    }
}
