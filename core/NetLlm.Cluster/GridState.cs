namespace NetLlm.Cluster;

/// <summary>Where an item of a grid is.</summary>
[GenerateSerializer]
public enum GridItemStatus
{
    /// <summary>Waiting for a worker.</summary>
    Pending,

    /// <summary>Leased to a worker.</summary>
    Running,

    /// <summary>Finished; its result is recorded (once).</summary>
    Done,

    /// <summary>Failed <see cref="ClusterConfig.MaxAttempts"/> times; its last error is recorded.</summary>
    Failed,
}

/// <summary>The durable record of one item of a grid.</summary>
[GenerateSerializer]
public sealed class GridItemState
{
    /// <summary>The item.</summary>
    [Id(0)]
    public required WorkItem Item { get; init; }

    /// <summary>Status.</summary>
    [Id(1)]
    public GridItemStatus Status { get; set; }

    /// <summary>Attempts leased so far.</summary>
    [Id(2)]
    public int Attempts { get; set; }

    /// <summary>The worker holding the current lease.</summary>
    [Id(3)]
    public string? Worker { get; set; }

    /// <summary>When the current lease ends unless renewed.</summary>
    [Id(4)]
    public DateTime LeaseUntil { get; set; }

    /// <summary>The last error (failed attempt or lost lease); kept when a later attempt succeeds.</summary>
    [Id(5)]
    public string? Error { get; set; }

    /// <summary>The successful outcome.</summary>
    [Id(6)]
    public WorkOutcome? Result { get; set; }

    /// <summary>When it finished (done or failed).</summary>
    [Id(7)]
    public DateTime? FinishedUtc { get; set; }
}

/// <summary>The durable state of a grid: its items in submission order.</summary>
[GenerateSerializer]
public sealed class GridState
{
    /// <summary>Items in submission order.</summary>
    [Id(0)]
    public List<GridItemState> Items { get; set; } = [];

    /// <summary>When the grid was submitted.</summary>
    [Id(1)]
    public DateTime SubmittedUtc { get; set; }

    /// <summary>Lease length.</summary>
    [Id(2)]
    public TimeSpan Lease { get; set; }

    /// <summary>Attempts before an item fails.</summary>
    [Id(3)]
    public int MaxAttempts { get; set; }

    /// <summary>Results that arrived for an item already finished (ignored; counted for the report).</summary>
    [Id(4)]
    public int DuplicatesIgnored { get; set; }
}

/// <summary>One item in a progress report.</summary>
[GenerateSerializer, Immutable]
public sealed record GridItemProgress
{
    /// <summary>Item id.</summary>
    [Id(0)]
    public required string Id { get; init; }

    /// <summary>Status.</summary>
    [Id(1)]
    public required GridItemStatus Status { get; init; }

    /// <summary>Attempts so far.</summary>
    [Id(2)]
    public required int Attempts { get; init; }

    /// <summary>Worker of the current lease or of the result.</summary>
    [Id(3)]
    public string? Worker { get; init; }

    /// <summary>The last error.</summary>
    [Id(4)]
    public string? Error { get; init; }

    /// <summary>Seconds of the successful attempt.</summary>
    [Id(5)]
    public double? Seconds { get; init; }
}

/// <summary>A grid's progress: every item's status, the counts and the throughput.</summary>
[GenerateSerializer, Immutable]
public sealed record GridProgress
{
    /// <summary>Every item, in submission order.</summary>
    [Id(0)]
    public required IReadOnlyList<GridItemProgress> Items { get; init; }

    /// <summary>Seconds since the grid was submitted.</summary>
    [Id(1)]
    public required double Seconds { get; init; }

    /// <summary>Results ignored because their item had already finished.</summary>
    [Id(2)]
    public required int DuplicatesIgnored { get; init; }

    /// <summary>Items done.</summary>
    public int Done => Items.Count(i => i.Status == GridItemStatus.Done);

    /// <summary>Items failed.</summary>
    public int Failed => Items.Count(i => i.Status == GridItemStatus.Failed);

    /// <summary>Items running.</summary>
    public int Running => Items.Count(i => i.Status == GridItemStatus.Running);

    /// <summary>True when every item is done or failed.</summary>
    public bool Finished => Items.All(i => i.Status is GridItemStatus.Done or GridItemStatus.Failed);

    /// <summary>Items finished per minute since submission.</summary>
    public double ItemsPerMinute => (Done + Failed) / Math.Max(Seconds / 60, 1e-9);
}
