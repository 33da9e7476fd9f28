namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// A piece of the data root a task needs: a folder with at least <see cref="MinimumCount"/> files matching
/// <see cref="Pattern"/> (searched recursively when <see cref="Recursive"/>), or a single file. <c>netllm data
/// check</c> checks every file: against its size and SHA-256 when <see cref="Files"/> lists it, and with
/// <see cref="Validate"/>; <c>netllm data fetch</c> downloads the listed files from their URLs.
/// </summary>
/// <param name="RelativePath">Path under the data root, with <c>/</c> separators, for example <c>abr/traces/test/fcc-test</c>.</param>
/// <param name="Pattern">File pattern inside a folder (<c>*</c> for any), or null when the path is a file.</param>
/// <param name="MinimumCount">Files expected at least.</param>
/// <param name="Required">False for optional data (a baseline's weights).</param>
/// <param name="Source">Where to get it (shown when missing).</param>
/// <param name="Validate">Optional format check of one file: returns null when fine, or the problem (naming file and line).</param>
public sealed record DataRequirement(
    string RelativePath,
    string? Pattern,
    int MinimumCount,
    bool Required,
    string Source,
    Func<string, string?>? Validate = null)
{
    /// <summary>Match <see cref="Pattern"/> in sub-folders too.</summary>
    public bool Recursive { get; init; }

    /// <summary>The known files of this requirement with their sizes, checksums and download addresses (may be empty).</summary>
    public IReadOnlyList<DataFile> Files { get; init; } = [];
}

/// <summary>One known file of a data root.</summary>
/// <param name="Path">Path under the data root, with <c>/</c> separators.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">SHA-256 of the content, 64 lower-case hex digits.</param>
/// <param name="Url">Where the public file is downloaded from, or null for a curated file (made by the data curation) that only a mirror has.</param>
/// <param name="Origin">For curated files: what they were made from.</param>
public sealed record DataFile(string Path, long Size, string Sha256, Uri? Url, string? Origin = null);

/// <summary>A public source of data files and its licence.</summary>
/// <param name="Name">Short name, for example <c>netllm</c>.</param>
/// <param name="Url">Base address (raw files at a pinned commit).</param>
/// <param name="Note">Provenance and licence.</param>
public sealed record DataSource(string Name, Uri Url, string Note);
