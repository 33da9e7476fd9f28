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
    /// <param name="forget">
    /// Forget the finished grid once its states are read (<see cref="IGridGrain.Forget"/>): for items whose results are
    /// files the submitter consumes, so that the same submission later runs them again.
    /// </param>
    public static async Task<IReadOnlyList<GridItemState>> Run(IGrainFactory grains, string gridId, IReadOnlyList<WorkItem> items, ClusterConfig config, Action<GridProgress> progress, CancellationToken cancellation, bool forget = false)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(progress);
        var grid = grains.GetGrain<IGridGrain>(gridId);
        var directory = grains.GetGrain<IGridDirectoryGrain>(0);

        // Every call is retried: the silo holding the grid or the directory may die at any time, and the grain is
        // then reactivated on another silo from the store (each call is idempotent).
        await Retry(async () => { await grid.Submit(items, TimeSpan.FromSeconds(config.LeaseSeconds), config.MaxAttempts); return true; }, cancellation);
        await Retry(async () => { await directory.Add(gridId); return true; }, cancellation);
        while (true)
        {
            var report = await Retry(grid.Progress, cancellation);
            progress(report);
            if (report.Finished)
            {
                break;
            }

            await Task.Delay(Poll, cancellation);
        }

        var states = await Retry(grid.Items, cancellation);
        await Retry(async () => { await directory.Remove(gridId); return true; }, cancellation);
        if (forget)
        {
            await Retry(async () => { await grid.Forget(); return true; }, cancellation);
        }

        return states;
    }

    /// <summary>Calls <paramref name="call"/> until it succeeds (120 failures in a row give up), waiting a poll between tries.</summary>
    private static async Task<T> Retry<T>(Func<Task<T>> call, CancellationToken cancellation)
    {
        for (var failures = 1; ; failures++)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                return await call();
            }
            catch (Exception e) when (e is not (OperationCanceledException or InvalidOperationException or ArgumentException) && failures < 120)
            {
                // The grain is moving to another silo (the one holding it died): ask again. A refused submission
                // (other items under the grid's id) is not retried.
            }

            await Task.Delay(Poll, cancellation);
        }
    }
}
