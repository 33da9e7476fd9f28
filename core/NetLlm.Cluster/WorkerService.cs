using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NetLlm.Cluster;

/// <summary>
/// The worker slots of a silo (<see cref="ClusterConfig.Workers"/>): each polls the grid directory, leases an item,
/// runs it through the host's <see cref="IWorkExecutor"/> on its own thread while renewing the lease, and reports the
/// outcome (retrying the report while the grid grain moves to another silo). A silo that joins takes work at its
/// next poll; a silo that dies stops renewing and its items are leased again after the lease ends.
/// </summary>
public sealed class WorkerService : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(250);
    private readonly IGrainFactory _grains;
    private readonly IWorkExecutor _executor;
    private readonly ClusterConfig _config;
    private readonly ILogger<WorkerService> _logger;

    /// <summary>Creates the service.</summary>
    /// <param name="grains">Grain factory of the silo.</param>
    /// <param name="executor">Runs items.</param>
    /// <param name="config">Cluster configuration.</param>
    /// <param name="logger">Logger.</param>
    public WorkerService(IGrainFactory grains, IWorkExecutor executor, ClusterConfig config, ILogger<WorkerService> logger)
    {
        _grains = grains;
        _executor = executor;
        _config = config;
        _logger = logger;
    }

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _config.Workers).Select(slot => Task.Run(() => Loop(slot, stoppingToken), CancellationToken.None)));

    private async Task Loop(int slot, CancellationToken stop)
    {
        var worker = $"{Environment.MachineName}:{Environment.ProcessId}/{slot}";
        while (!stop.IsCancellationRequested)
        {
            WorkLease? lease = null;
            try
            {
                foreach (var grid in await _grains.GetGrain<IGridDirectoryGrain>(0).Grids())
                {
                    lease = await _grains.GetGrain<IGridGrain>(grid).Lease(worker);
                    if (lease is not null)
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                // The directory or a grid is moving to another silo (one died) or the silo is still joining.
                _logger.LogDebug(e, "worker {Worker}: no lease this time", worker);
            }

            if (lease is null)
            {
                await Delay(Idle, stop);
                continue;
            }

            await Run(lease, worker, stop);
        }
    }

    private async Task Run(WorkLease lease, string worker, CancellationToken stop)
    {
        var grid = _grains.GetGrain<IGridGrain>(lease.Grid);
        _logger.LogInformation("worker {Worker}: {Grid}/{Item} attempt {Attempt}", worker, lease.Grid, lease.Item.Id, lease.Attempt);
        var clock = Stopwatch.StartNew();
        var run = Task.Factory.StartNew(() => _executor.Execute(lease, worker), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var renewEvery = lease.Lease / 4;
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(renewEvery, CancellationToken.None));
            if (!run.IsCompleted)
            {
                try
                {
                    await grid.Renew(lease.Item.Id, lease.Attempt, worker);
                }
                catch (Exception e)
                {
                    _logger.LogDebug(e, "worker {Worker}: renewing {Item} failed", worker, lease.Item.Id);
                }
            }
        }

        WorkOutcome outcome;
        try
        {
            outcome = await run;
        }
        catch (Exception e)
        {
            outcome = new WorkOutcome { ItemId = lease.Item.Id, Attempt = lease.Attempt, Succeeded = false, Error = e.GetType().Name + ": " + e.Message, Worker = worker, Seconds = clock.Elapsed.TotalSeconds };
        }

        // Report until the grid takes it: the grid grain may be reactivating on another silo.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grid.Complete(outcome);
                return;
            }
            catch (Exception e) when (attempt < 60 && !stop.IsCancellationRequested)
            {
                _logger.LogWarning("worker {Worker}: reporting {Item} failed ({Message}); retrying", worker, lease.Item.Id, e.Message);
                await Delay(TimeSpan.FromSeconds(1), stop);
            }
        }
    }

    private static async Task Delay(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
