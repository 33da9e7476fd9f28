using NetLlm.Abstractions.Tasks;

namespace NetLlm.Hosting.Data.Fetch;

/// <summary>The outcome of one file.</summary>
/// <param name="File">The manifest entry.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="BytesTransferred">Bytes received over the network for it in this run.</param>
/// <param name="Error">The error (failed) or the reason (skipped); null otherwise.</param>
public sealed record FileFetchResult(DataFile File, FileOutcome Outcome, long BytesTransferred, string? Error = null);
