namespace NetLlm.Cluster;

/// <summary>
/// One unit of work of a grid: a <c>netllm</c> command line (one evaluation run, one <c>adapt</c> run) that a silo
/// runs with the same plugins and engine as the local verb, writing the verb's JSON result. The command line names
/// everything the run needs (task, policy, setting, seed, options); paths in it must be valid on every silo (the
/// shared artifact folder).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WorkItem
{
    /// <summary>Id, unique in its grid; results are keyed by it (a result is recorded once).</summary>
    [Id(0)]
    public required string Id { get; init; }

    /// <summary>The command line, without <c>netllm</c> and without <c>--json</c> (the worker adds it).</summary>
    [Id(1)]
    public required IReadOnlyList<string> Arguments { get; init; }
}

/// <summary>What a worker reports for one attempt of an item.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkOutcome
{
    /// <summary>The item.</summary>
    [Id(0)]
    public required string ItemId { get; init; }

    /// <summary>The attempt (1, 2, ...) the lease gave.</summary>
    [Id(1)]
    public required int Attempt { get; init; }

    /// <summary>True when the command succeeded.</summary>
    [Id(2)]
    public required bool Succeeded { get; init; }

    /// <summary>The verb's JSON result (what <c>--json</c> wrote), when it succeeded.</summary>
    [Id(3)]
    public string? Json { get; init; }

    /// <summary>The error message (and exit code), when it failed.</summary>
    [Id(4)]
    public string? Error { get; init; }

    /// <summary>Who ran it (machine, process, worker slot).</summary>
    [Id(5)]
    public required string Worker { get; init; }

    /// <summary>Seconds the command took.</summary>
    [Id(6)]
    public double Seconds { get; init; }
}

/// <summary>An item leased to a worker: run it and report with this attempt number, renewing the lease meanwhile.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkLease
{
    /// <summary>The grid.</summary>
    [Id(0)]
    public required string Grid { get; init; }

    /// <summary>The item.</summary>
    [Id(1)]
    public required WorkItem Item { get; init; }

    /// <summary>Attempt number (1 for the first).</summary>
    [Id(2)]
    public required int Attempt { get; init; }

    /// <summary>How long the lease lasts without renewal.</summary>
    [Id(3)]
    public required TimeSpan Lease { get; init; }
}
