namespace NetLlm.Hosting.Data.Fetch;

/// <summary>What <see cref="DataFetcher"/> fetches, from where and how.</summary>
public sealed class DataFetchOptions
{
    /// <summary>The data root to fill (created when missing).</summary>
    public required string DataRoot { get; init; }

    /// <summary>What the files are, for messages: a task id or <c>all</c>.</summary>
    public string Selection { get; init; } = "all";

    /// <summary>
    /// A mirror laid out like the data root (<c>MIRROR/abr/traces/...</c>), serving every file including the curated
    /// ones; null to download public files from their source repositories and skip the curated ones.
    /// </summary>
    public Uri? SourceBase { get; init; }

    /// <summary>Concurrent downloads (at least 1).</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Further attempts per file after an interrupted transfer or HTTP error (each resumes the partial download).</summary>
    public int Retries { get; init; } = 3;

    /// <summary>Pause before retry k (multiplied by k).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}
