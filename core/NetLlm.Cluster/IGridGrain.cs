namespace NetLlm.Cluster;

/// <summary>
/// The coordinator of one grid (keyed by the grid id): holds every item's durable state, leases items to workers,
/// takes their results once, re-queues items whose lease ran out (a dead silo) and fails an item after its last
/// attempt.
/// </summary>
public interface IGridGrain : IGrainWithStringKey
{
    /// <summary>
    /// Submits the grid's items. Submitting the same items again (a client that restarted) keeps the state; other
    /// items under the same id are refused.
    /// </summary>
    /// <param name="items">The items, in report order.</param>
    /// <param name="lease">Lease length.</param>
    /// <param name="maxAttempts">Attempts before an item fails.</param>
    Task Submit(IReadOnlyList<WorkItem> items, TimeSpan lease, int maxAttempts);

    /// <summary>Leases the next pending item to <paramref name="worker"/>, or returns null when none is pending.</summary>
    /// <param name="worker">The worker's name.</param>
    Task<WorkLease?> Lease(string worker);

    /// <summary>Extends a lease; false when the worker no longer holds it (the item was re-queued or finished).</summary>
    /// <param name="itemId">The item.</param>
    /// <param name="attempt">The attempt of the lease.</param>
    /// <param name="worker">The worker.</param>
    Task<bool> Renew(string itemId, int attempt, string worker);

    /// <summary>Records an attempt's outcome; false when the item had already finished (the outcome is ignored).</summary>
    /// <param name="outcome">The outcome.</param>
    Task<bool> Complete(WorkOutcome outcome);

    /// <summary>Every item's status and the counts.</summary>
    Task<GridProgress> Progress();

    /// <summary>Every item's state (results and errors), in submission order.</summary>
    Task<IReadOnlyList<GridItemState>> Items();

    /// <summary>
    /// Forgets the grid (its durable state is cleared) once the submitter has taken the results and they live on only
    /// in what it wrote: a later submission of the same items runs them again instead of attaching to old results.
    /// Outcomes and renewals that arrive afterwards are ignored.
    /// </summary>
    Task Forget();
}

/// <summary>The list of grids with work to do (key 0): what the workers of every silo poll.</summary>
public interface IGridDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a grid.</summary>
    /// <param name="grid">Grid id.</param>
    Task Add(string grid);

    /// <summary>Removes a grid (finished).</summary>
    /// <param name="grid">Grid id.</param>
    Task Remove(string grid);

    /// <summary>The grids.</summary>
    Task<IReadOnlyList<string>> Grids();
}
