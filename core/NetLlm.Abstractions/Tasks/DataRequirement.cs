namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// A piece of the data root a task needs, checked by <c>netllm data check</c>: a folder with at least
/// <see cref="MinimumCount"/> files matching <see cref="Pattern"/>, or a single file.
/// </summary>
/// <param name="RelativePath">Path under the data root, for example <c>abr/traces/test/fcc-test</c>.</param>
/// <param name="Pattern">File pattern inside a folder (<c>*</c> for any), or null when the path is a file.</param>
/// <param name="MinimumCount">Files expected at least.</param>
/// <param name="Required">False for optional data (a baseline's weights).</param>
/// <param name="Source">Where to get it (shown when missing).</param>
/// <param name="Validate">Optional format check of one file: returns null when fine, or the problem.</param>
public sealed record DataRequirement(
    string RelativePath,
    string? Pattern,
    int MinimumCount,
    bool Required,
    string Source,
    Func<string, string?>? Validate = null);
