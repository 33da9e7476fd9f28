using NetLlm.Abstractions.Tasks;

namespace NetLlm.Hosting.Data.Fetch;

/// <summary>
/// <c>netllm data fetch</c>: downloads the files of the manifest into a data root, verifying each against its size and
/// SHA-256 (see <see cref="FileDownloader"/> for resuming and atomic placement). Public files come from their source
/// repositories at the pinned commits, or every file from a mirror (<see cref="DataFetchOptions.SourceBase"/>).
/// Files already in place are verified and left alone. A failing file does not stop the others; the report lists it.
/// </summary>
public sealed class DataFetcher
{
    private readonly DatasetManifest _manifest;
    private readonly HttpClient _client;

    /// <summary>Creates a fetcher.</summary>
    /// <param name="manifest">The manifest (usually <see cref="DatasetManifest.Embedded"/>).</param>
    /// <param name="client">HTTP client (not disposed here).</param>
    public DataFetcher(DatasetManifest manifest, HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(client);
        _manifest = manifest;
        _client = client;
    }

    /// <summary>Fetches the selected datasets; throws only for bad options, and on cancellation.</summary>
    /// <param name="options">What and where.</param>
    /// <param name="progress">Progress in bytes of the files to download.</param>
    /// <param name="cancellation">Cancellation.</param>
    public async Task<DataFetchReport> RunAsync(DataFetchOptions options, IProgressSink progress, CancellationToken cancellation)
    {
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
        var files = _manifest.Select(options.Dataset);
        await CheckHostsResolve(files.Select(f => _manifest.DownloadUri(f, options.SourceBase)).OfType<Uri>(), cancellation).ConfigureAwait(false);
        var results = new FileFetchResult[files.Count];
        var downloader = new FileDownloader(_client);
        var gate = new object();
        using var bar = progress.Start($"fetch {options.Dataset} into {root}", files.Where(f => options.SourceBase is not null || !f.IsCurated).Sum(f => (double)f.Size));
        await Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellation },
            async (i, token) =>
            {
                results[i] = await FetchOneAsync(downloader, files[i], root, options, bytes =>
                {
                    lock (gate)
                    {
                        bar.Advance(bytes);
                    }
                }, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return new DataFetchReport(root, results);
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

    private async Task<FileFetchResult> FetchOneAsync(FileDownloader downloader, DatasetFile file, string root, DataFetchOptions options, Action<long> onBytes, CancellationToken cancellation)
    {
        var destination = Path.Combine(root, file.Path.Replace('/', Path.DirectorySeparatorChar));
        var uri = _manifest.DownloadUri(file, options.SourceBase);
        if (uri is null)
        {
            return File.Exists(destination) && DownloadVerifier.Matches(destination, file)
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
