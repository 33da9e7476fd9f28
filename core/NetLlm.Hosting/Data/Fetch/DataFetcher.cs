using System.Globalization;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Data;

namespace NetLlm.Hosting.Data.Fetch;

/// <summary>
/// <c>netllm data fetch</c>: downloads the files the tasks list in their data requirements into a data root, verifying
/// each against its size and SHA-256 (see <see cref="FileDownloader"/> for resuming and atomic placement). Public files
/// come from their URLs (source repositories at pinned commits), or every file from a mirror laid out like the data root
/// (<see cref="DataFetchOptions.SourceBase"/>).
/// Files already in place are verified and left alone. A failing file does not stop the others; the report lists it.
/// </summary>
public sealed class DataFetcher
{
    private readonly HttpClient _client;

    /// <summary>Creates a fetcher.</summary>
    /// <param name="client">HTTP client (not disposed here).</param>
    public DataFetcher(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>
    /// The files of <paramref name="requirements"/> (<see cref="DataRequirement.Files"/>), each path once. Throws
    /// <see cref="InvalidDataException"/> when two requirements list one path with different content.
    /// </summary>
    /// <param name="requirements">Requirements of the selected tasks.</param>
    public static IReadOnlyList<DataFile> FilesOf(IEnumerable<(string Task, DataRequirement Requirement)> requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var files = new Dictionary<string, (string Task, DataFile File)>(StringComparer.Ordinal);
        foreach (var (task, requirement) in requirements)
        {
            foreach (var file in requirement.Files)
            {
                if (files.TryGetValue(file.Path, out var other) && (other.File.Size != file.Size || other.File.Sha256 != file.Sha256))
                {
                    throw new InvalidDataException($"tasks '{other.Task}' and '{task}' list {file.Path} with different sizes or checksums");
                }

                files.TryAdd(file.Path, (task, file));
            }
        }

        return [.. files.Values.Select(x => x.File).OrderBy(f => f.Path, StringComparer.Ordinal)];
    }

    /// <summary>Fetches <paramref name="files"/>; throws only for bad options, and on cancellation.</summary>
    /// <param name="files">The files (see <see cref="FilesOf"/>).</param>
    /// <param name="options">Where and how.</param>
    /// <param name="progress">Progress in bytes of the files to download.</param>
    /// <param name="cancellation">Cancellation.</param>
    public async Task<DataFetchReport> RunAsync(IReadOnlyList<DataFile> files, DataFetchOptions options, IProgressSink progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentException.ThrowIfNullOrEmpty(options.DataRoot);
        if (options.Parallelism < 1 || options.Retries < 0)
        {
            throw new ArgumentException($"fetch: parallelism must be at least 1 and retries at least 0 (got {options.Parallelism} and {options.Retries})");
        }

        if (options.SourceBase is { } mirror && mirror.Scheme != Uri.UriSchemeHttp && mirror.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"--source-base: '{mirror}' is not an http(s) URL");
        }

        var root = Path.GetFullPath(options.DataRoot);
        Directory.CreateDirectory(root);
        await CheckHostsResolve(files.Select(f => DownloadUri(f, options.SourceBase)).OfType<Uri>(), cancellation).ConfigureAwait(false);
        var results = new FileFetchResult[files.Count];
        var downloader = new FileDownloader(_client);
        var gate = new object();
        var totalBytes = files.Where(f => DownloadUri(f, options.SourceBase) is not null).Sum(f => (double)f.Size);
        using var bar = progress.Start($"fetch {options.Selection} into {root}", totalBytes);

        // The bar counts bytes; its status says it in files and megabytes (a bare byte count read as "steps").
        double doneBytes = 0;
        var doneFiles = 0;
        string Status() => string.Create(
            CultureInfo.InvariantCulture,
            $"{doneFiles}/{files.Count} files, {doneBytes / 1e6:F1} of {totalBytes / 1e6:F1} MB");
        await Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellation },
            async (i, token) =>
            {
                results[i] = await FetchOneAsync(downloader, files[i], root, options, bytes =>
                {
                    lock (gate)
                    {
                        doneBytes += bytes;
                        bar.Advance(bytes, Status());
                    }
                }, token).ConfigureAwait(false);
                lock (gate)
                {
                    doneFiles++;
                    bar.Advance(0, Status());
                }
            }).ConfigureAwait(false);
        return new DataFetchReport(root, results);
    }

    /// <summary>
    /// Where to download <paramref name="file"/> from: <c>mirror/PATH</c> when a mirror (a server laid out like the
    /// data root) is given, else its public URL; null for a curated file without a mirror.
    /// </summary>
    /// <param name="file">The file.</param>
    /// <param name="mirror">Base URL of a mirror, or null.</param>
    public static Uri? DownloadUri(DataFile file, Uri? mirror)
    {
        ArgumentNullException.ThrowIfNull(file);
        return mirror is null ? file.Url : DataManifest.Combine(mirror, file.Path);
    }

    /// <summary>
    /// Offline, every download would fail the same way after its retries (hundreds of identical DNS errors): resolve
    /// each host once first and stop with one message when one cannot be resolved.
    /// </summary>
    private static async Task CheckHostsResolve(IEnumerable<Uri> uris, CancellationToken cancellation)
    {
        foreach (var host in uris.Where(u => u.HostNameType == UriHostNameType.Dns).Select(u => u.DnsSafeHost).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                await System.Net.Dns.GetHostAddressesAsync(host, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
            {
                var why = e is OperationCanceledException ? "no answer within 15 s" : e.Message;
                throw new IOException($"fetch: cannot resolve host '{host}' ({why}): is this machine offline? Nothing was downloaded; a local mirror of a data root can be used with --source-base URL");
            }
        }
    }

    private static async Task<FileFetchResult> FetchOneAsync(FileDownloader downloader, DataFile file, string root, DataFetchOptions options, Action<long> onBytes, CancellationToken cancellation)
    {
        var destination = Path.Combine(root, file.Path.Replace('/', Path.DirectorySeparatorChar));
        var uri = DownloadUri(file, options.SourceBase);
        if (uri is null)
        {
            return DownloadVerifier.Matches(destination, file)
                ? new FileFetchResult(file, FileOutcome.Present, 0)
                : new FileFetchResult(file, FileOutcome.Skipped, 0, $"curated file ({file.Origin}): not in the public repositories; fetch it from a mirror with --source-base");
        }

        var transferred = 0L;
        void Count(long bytes)
        {
            transferred += bytes;
            onBytes(bytes);
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var (outcome, _) = await downloader.FetchAsync(file, uri, destination, Count, cancellation).ConfigureAwait(false);
                return new FileFetchResult(file, outcome, transferred);
            }
            catch (InvalidDataException e)
            {
                return new FileFetchResult(file, FileOutcome.Failed, transferred, e.Message);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellation.IsCancellationRequested))
            {
                if (attempt >= options.Retries)
                {
                    var message = e.Message.StartsWith(file.Path, StringComparison.Ordinal) ? e.Message : $"{file.Path}: {e.Message} ({uri})";
                    var partial = destination + FileDownloader.PartialSuffix;
                    if (File.Exists(partial))
                    {
                        message += $"; {new FileInfo(partial).Length} of {file.Size} bytes kept in {Path.GetFileName(partial)}, run again to resume";
                    }

                    return new FileFetchResult(file, FileOutcome.Failed, transferred, message);
                }

                await Task.Delay(options.RetryDelay * (attempt + 1), cancellation).ConfigureAwait(false);
            }
        }
    }
}
