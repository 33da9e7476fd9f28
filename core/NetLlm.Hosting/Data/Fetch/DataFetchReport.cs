namespace NetLlm.Hosting.Data.Fetch;

/// <summary>The outcome of a fetch: one result per file of the selected datasets, in path order.</summary>
/// <param name="DataRoot">The data root filled.</param>
/// <param name="Files">Per-file results.</param>
public sealed record DataFetchReport(string DataRoot, IReadOnlyList<FileFetchResult> Files)
{
    /// <summary>The files that failed.</summary>
    public IReadOnlyList<FileFetchResult> Failures => [.. Files.Where(f => f.Outcome == FileOutcome.Failed)];

    /// <summary>True when nothing failed (skipped curated files do not count as failures).</summary>
    public bool Succeeded => Files.All(f => f.Outcome != FileOutcome.Failed);

    /// <summary>Number of files with <paramref name="outcome"/>.</summary>
    /// <param name="outcome">Outcome.</param>
    public int Count(FileOutcome outcome) => Files.Count(f => f.Outcome == outcome);

    /// <summary>Bytes received over the network.</summary>
    public long BytesTransferred => Files.Sum(f => f.BytesTransferred);
}
