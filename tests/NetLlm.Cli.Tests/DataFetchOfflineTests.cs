using System.Diagnostics;
using NetLlm.Abstractions.Tasks;
using NetLlm.Hosting.Data.Fetch;
using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

/// <summary>Offline, <c>data fetch</c> stops at once with one message instead of retrying every file.</summary>
public sealed class DataFetchOfflineTests : IDisposable
{
    private readonly TempDirectory _temp = new("netllm-fetch-offline-");
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose()
    {
        _client.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task AHostThatCannotBeResolved_FailsOnceNamingItBeforeAnyDownload()
    {
        // ".invalid" never resolves (RFC 2606).
        var files = new FetchFixture().Files(new Uri("http://netllm-fetch-test.invalid/"));
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<IOException>(() => new DataFetcher(_client).RunAsync(
            files,
            new DataFetchOptions { DataRoot = _temp.Path, Selection = "abr", Retries = 5, RetryDelay = TimeSpan.FromSeconds(5), Parallelism = 2 },
            NullProgressSink.Instance,
            CancellationToken.None));

        Assert.StartsWith("fetch: cannot resolve host 'netllm-fetch-test.invalid'", e.Message, StringComparison.Ordinal);
        Assert.Contains("--source-base", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Empty(Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories));
    }
}
