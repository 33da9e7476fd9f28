namespace NetLlm.Hosting.Data.Fetch;

/// <summary>One file of the data root as the manifest records it.</summary>
/// <param name="Path">Path under the data root, with <c>/</c> separators, for example <c>abr/videos/video1_sizes/video_size_0</c>.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">SHA-256 of the content, lower-case hex.</param>
/// <param name="Source">Source name (<c>netllm</c>, <c>genet</c>) or <c>curated</c>.</param>
/// <param name="Origin">For curated files: what they were made from; null for public files.</param>
public sealed record DatasetFile(string Path, long Size, string Sha256, string Source, string? Origin)
{
    /// <summary>The source name of files made by this project's data curation (conversions and notes): only a mirror has them.</summary>
    public const string Curated = "curated";

    /// <summary>The dataset (first path segment): <c>abr</c>, <c>cjs</c> or <c>vp</c>.</summary>
    public string Dataset => Path.Split('/')[0];

    /// <summary>True for curated files (not in the public repositories).</summary>
    public bool IsCurated => Source == Curated;
}
