using System.Security.Cryptography;
using System.Text;

namespace NetLlm.Cluster;

/// <summary>
/// Submits a grid to a cluster and follows it to the end: registers it with the workers, reports progress about
/// twice a second, and returns every item's final state (results keyed by item, each recorded once).
/// </summary>
public static class GridClient
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A grid id from its items: the same grid (same command lines) gets the same id, so a client that is restarted
    /// attaches to the grid it submitted before and finished items are not run again.
    /// </summary>
    /// <param name="prefix">A readable prefix (the verb).</param>
    /// <param name="items">The items.</param>
    public static string GridId(string prefix, IReadOnlyList<WorkItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var text = string.Join("\n", items.Select(i => i.Id + "\u0001" + string.Join("\u0001", i.Arguments)));
        return prefix + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>Runs the grid; returns its items' states in submission order.</summary>
    /// <param name="grains">A grain factory of the cluster (a client, or the in-process silo's).</param>
    /// <param name="gridId">Grid id.</param>
    /// <param name="items">The items.</param>
    /// <param name="config">Lease and attempts.</param>
    /// <param name="progress">Called with every progress report.</param>
    /// <param name="cancellation">Stops following the grid (the grid itself goes on in the cluster).</param>
    public static async Task<IReadOnlyList<GridItemState>> Run(IGrainFactory grains, string gridId, IReadOnlyList<WorkItem> items, ClusterConfig config, Action<GridProgress> progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(progress);
        var grid = grains.GetGrain<IGridGrain>(gridId);
        var directory = grains.GetGrain<IGridDirectoryGrain>(0);
        await grid.Submit(items, TimeSpan.FromSeconds(config.LeaseSeconds), config.MaxAttempts);
        await directory.Add(gridId);
        var failures = 0;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                var report = await grid.Progress();
                failures = 0;
                progress(report);
                if (report.Finished)
                {
                    break;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException && ++failures < 120)
            {
                // The grid grain is moving to another silo (the one holding it died): ask again.
            }

            await Task.Delay(Poll, cancellation);
        }

        var states = await grid.Items();
        await directory.Remove(gridId);
        return states;
    }
}
