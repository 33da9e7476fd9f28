using Microsoft.Extensions.Logging;

namespace NetLlm.Cluster;

/// <summary>
/// <see cref="IGridGrain"/> over a persistent state (storage <see cref="ClusterHosting.StorageName"/>: Redis or
/// memory), written after every change before the call returns, so a grid survives the silo that held it.
/// </summary>
public sealed class GridGrain : Grain, IGridGrain
{
    private readonly IPersistentState<GridState> _state;
    private readonly ILogger<GridGrain> _logger;

    /// <summary>Creates the grain.</summary>
    /// <param name="state">The grid's durable state.</param>
    /// <param name="logger">Logger.</param>
    public GridGrain([PersistentState("grid", ClusterHosting.StorageName)] IPersistentState<GridState> state, ILogger<GridGrain> logger)
    {
        _state = state;
        _logger = logger;
    }

    private GridState Grid => _state.State;

    /// <inheritdoc/>
    public async Task Submit(IReadOnlyList<WorkItem> items, TimeSpan lease, int maxAttempts)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (Grid.Items.Count > 0)
        {
            var same = Grid.Items.Count == items.Count && Grid.Items.Zip(items).All(p => p.First.Item.Id == p.Second.Id && p.First.Item.Arguments.SequenceEqual(p.Second.Arguments, StringComparer.Ordinal));
            if (!same)
            {
                throw new InvalidOperationException($"grid '{this.GetPrimaryKeyString()}' already holds other items");
            }

            return;
        }

        var duplicate = items.GroupBy(i => i.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"item id '{duplicate.Key}' is used twice");
        }

        Grid.Items = [.. items.Select(i => new GridItemState { Item = i })];
        Grid.SubmittedUtc = DateTime.UtcNow;
        Grid.Lease = lease;
        Grid.MaxAttempts = maxAttempts;
        await _state.WriteStateAsync();
    }

    /// <inheritdoc/>
    public async Task<WorkLease?> Lease(string worker)
    {
        var changed = ExpireLeases();
        var next = Grid.Items.FirstOrDefault(i => i.Status == GridItemStatus.Pending);
        if (next is not null)
        {
            next.Status = GridItemStatus.Running;
            next.Attempts++;
            next.Worker = worker;
            next.LeaseUntil = DateTime.UtcNow + Grid.Lease;
            changed = true;
        }

        if (changed)
        {
            await _state.WriteStateAsync();
        }

        return next is null ? null : new WorkLease { Grid = this.GetPrimaryKeyString(), Item = next.Item, Attempt = next.Attempts, Lease = Grid.Lease };
    }

    /// <inheritdoc/>
    public async Task<bool> Renew(string itemId, int attempt, string worker)
    {
        if (Grid.Items.Count == 0)
        {
            return false;
        }

        var item = Find(itemId);
        if (item.Status != GridItemStatus.Running || item.Attempts != attempt || item.Worker != worker)
        {
            return false;
        }

        // Written, so that the grid reactivated on another silo does not take the item from a living worker.
        item.LeaseUntil = DateTime.UtcNow + Grid.Lease;
        await _state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc/>
    public async Task<bool> Complete(WorkOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (Grid.Items.Count == 0)
        {
            _logger.LogInformation("grid {Grid}: ignored an outcome of {Item} that came after the grid was forgotten (attempt {Attempt} by {Worker})", this.GetPrimaryKeyString(), outcome.ItemId, outcome.Attempt, outcome.Worker);
            return false;
        }

        var item = Find(outcome.ItemId);
        if (item.Status is GridItemStatus.Done or GridItemStatus.Failed)
        {
            Grid.DuplicatesIgnored++;
            await _state.WriteStateAsync();
            _logger.LogInformation("grid {Grid}: ignored a second outcome of {Item} (attempt {Attempt} by {Worker})", this.GetPrimaryKeyString(), outcome.ItemId, outcome.Attempt, outcome.Worker);
            return false;
        }

        if (outcome.Succeeded)
        {
            // The first successful attempt wins, even one whose lease had run out while another attempt runs.
            item.Status = GridItemStatus.Done;
            item.Result = outcome;
            item.Worker = outcome.Worker;
            item.FinishedUtc = DateTime.UtcNow;
        }
        else if (item.Status == GridItemStatus.Running && item.Attempts == outcome.Attempt)
        {
            item.Error = outcome.Error;
            Requeue(item);
        }
        else
        {
            // A late failure of an attempt that is no longer current: keep the error, the current attempt goes on.
            item.Error ??= outcome.Error;
        }

        await _state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc/>
    public async Task<GridProgress> Progress()
    {
        if (ExpireLeases())
        {
            await _state.WriteStateAsync();
        }

        return new GridProgress
        {
            Items = [.. Grid.Items.Select(i => new GridItemProgress { Id = i.Item.Id, Status = i.Status, Attempts = i.Attempts, Worker = i.Worker, Error = i.Error, Seconds = i.Result?.Seconds })],
            Seconds = (DateTime.UtcNow - Grid.SubmittedUtc).TotalSeconds,
            DuplicatesIgnored = Grid.DuplicatesIgnored,
        };
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<GridItemState>> Items() => Task.FromResult<IReadOnlyList<GridItemState>>(Grid.Items);

    /// <inheritdoc/>
    public async Task Forget()
    {
        await _state.ClearStateAsync();
        _state.State = new GridState();
        DeactivateOnIdle();
    }

    /// <summary>Re-queues (or fails) running items whose lease ran out; true when any changed.</summary>
    private bool ExpireLeases()
    {
        var now = DateTime.UtcNow;
        var changed = false;
        foreach (var item in Grid.Items.Where(i => i.Status == GridItemStatus.Running && i.LeaseUntil < now))
        {
            item.Error = $"attempt {item.Attempts}: the lease of {item.Worker} ran out (its silo stopped or hangs)";
            _logger.LogWarning("grid {Grid}: {Error} for {Item}", this.GetPrimaryKeyString(), item.Error, item.Item.Id);
            Requeue(item);
            changed = true;
        }

        return changed;
    }

    private void Requeue(GridItemState item)
    {
        item.Worker = null;
        if (item.Attempts >= Grid.MaxAttempts)
        {
            item.Status = GridItemStatus.Failed;
            item.FinishedUtc = DateTime.UtcNow;
        }
        else
        {
            item.Status = GridItemStatus.Pending;
        }
    }

    private GridItemState Find(string itemId) =>
        Grid.Items.FirstOrDefault(i => i.Item.Id == itemId) ?? throw new KeyNotFoundException($"grid '{this.GetPrimaryKeyString()}' has no item '{itemId}'");
}

/// <summary><see cref="IGridDirectoryGrain"/> over a persistent list.</summary>
public sealed class GridDirectoryGrain : Grain, IGridDirectoryGrain
{
    private readonly IPersistentState<List<string>> _grids;

    /// <summary>Creates the grain.</summary>
    /// <param name="grids">The durable list.</param>
    public GridDirectoryGrain([PersistentState("grids", ClusterHosting.StorageName)] IPersistentState<List<string>> grids)
    {
        _grids = grids;
    }

    /// <inheritdoc/>
    public async Task Add(string grid)
    {
        if (!_grids.State.Contains(grid))
        {
            _grids.State.Add(grid);
            await _grids.WriteStateAsync();
        }
    }

    /// <inheritdoc/>
    public async Task Remove(string grid)
    {
        if (_grids.State.Remove(grid))
        {
            await _grids.WriteStateAsync();
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> Grids() => Task.FromResult<IReadOnlyList<string>>([.. _grids.State]);
}
