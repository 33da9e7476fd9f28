using System.Net;
using System.Net.Http.Headers;
using NetLlm.Abstractions.Tasks;
using NetLlm.Hosting.Data;

namespace NetLlm.Hosting.Data.Fetch;

/// <summary>
/// Downloads one file into the data root so that the destination only ever holds verified content: bytes go to
/// <c>&lt;file&gt;.partial</c> next to it (resumed with an HTTP range request when a partial download exists), the
/// complete partial is checked against the manifest's size and SHA-256 and only then renamed over the destination.
/// A partial that cannot be right (wrong hash at full length, or longer than the file) is deleted and the error names
/// the file; an interrupted transfer leaves the partial for the next run.
/// </summary>
public sealed class FileDownloader
{
    /// <summary>Suffix of the file a download in progress is written to.</summary>
    public const string PartialSuffix = ".partial";

    private readonly HttpClient _client;

    /// <summary>Creates a downloader using <paramref name="client"/> (not disposed here).</summary>
    /// <param name="client">HTTP client.</param>
    public FileDownloader(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>
    /// Brings <paramref name="destination"/> to the manifest's content from <paramref name="uri"/>. Throws
    /// <see cref="InvalidDataException"/> for corrupt content (the partial is deleted), <see cref="HttpRequestException"/>
    /// for HTTP errors and <see cref="IOException"/> for an interrupted transfer (the partial is kept).
    /// </summary>
    /// <param name="file">Manifest entry.</param>
    /// <param name="uri">Where to download from.</param>
    /// <param name="destination">Destination path.</param>
    /// <param name="onBytes">Called with the count of each block received (from the calling thread).</param>
    /// <param name="cancellation">Cancellation.</param>
    /// <returns>The outcome and the bytes received.</returns>
    public async Task<(FileOutcome Outcome, long Bytes)> FetchAsync(DataFile file, Uri uri, string destination, Action<long>? onBytes, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(uri);
        var existed = File.Exists(destination);
        if (existed && DownloadVerifier.Matches(destination, file))
        {
            return (FileOutcome.Present, 0);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var partial = destination + PartialSuffix;
        var start = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (start > file.Size)
        {
            File.Delete(partial);
            start = 0;
        }

        var received = 0L;
        var resumed = false;
        if (start < file.Size || file.Size == 0)
        {
            (received, resumed) = await TransferAsync(file, uri, partial, start, onBytes, cancellation).ConfigureAwait(false);
        }
        else
        {
            resumed = true; // a complete partial from an earlier run: only verification was left
        }

        Verify(file, partial, uri);
        File.Move(partial, destination, overwrite: true);
        var outcome = existed ? FileOutcome.Replaced : resumed ? FileOutcome.Resumed : FileOutcome.Downloaded;
        return (outcome, received);
    }

    private async Task<(long Received, bool Resumed)> TransferAsync(DataFile file, Uri uri, string partial, long start, Action<long>? onBytes, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (start > 0)
        {
            request.Headers.Range = new RangeHeaderValue(start, null);
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(partial);
            throw new IOException($"{file.Path}: the server refused to resume at byte {start} (HTTP 416 from {uri}); the partial download was deleted, run again to start over");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{file.Path}: HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {uri}", null, response.StatusCode);
        }

        var resumed = start > 0 && response.StatusCode == HttpStatusCode.PartialContent;
        if (resumed && response.Content.Headers.ContentRange?.From != start)
        {
            throw new IOException($"{file.Path}: the server answered the range request for byte {start} with range '{response.Content.Headers.ContentRange}' from {uri}");
        }

        var offset = resumed ? start : 0;
        await using var body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        await using var output = new FileStream(partial, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        var received = 0L;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
        {
            if (offset + received + read > file.Size)
            {
                await output.DisposeAsync().ConfigureAwait(false);
                File.Delete(partial);
                throw new InvalidDataException($"{file.Path}: {uri} sent more than the expected {file.Size} bytes; the download was deleted");
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
            received += read;
            onBytes?.Invoke(read);
        }

        await output.FlushAsync(cancellation).ConfigureAwait(false);
        return (received, resumed);
    }

    private static void Verify(DataFile file, string partial, Uri uri)
    {
        var length = new FileInfo(partial).Length;
        if (length < file.Size)
        {
            throw new IOException($"{file.Path}: the transfer from {uri} ended after {length} of {file.Size} bytes; {Path.GetFileName(partial)} was kept, run again to resume");
        }

        var sha = DataCheck.Sha256Of(partial);
        if (length != file.Size || sha != file.Sha256)
        {
            File.Delete(partial);
            throw new InvalidDataException($"{file.Path}: checksum mismatch for the download from {uri}: SHA-256 {sha}, expected {file.Sha256} ({length} bytes, expected {file.Size}); the download was deleted and nothing was put in place");
        }
    }
}
