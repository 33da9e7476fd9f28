using NetLlm.Abstractions.Tasks;
using NetLlm.Hosting.Data.Fetch;
using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

public sealed class DataFetchTests : IDisposable
{
    private readonly FetchFixture _fixture = new();
    private readonly TempDirectory _temp = new("netllm-fetch-tests-");
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(60) };

    private string Root => _temp.Path;

    public void Dispose()
    {
        _client.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task FromTheUpstreamSource_PublicFilesAreDownloadedAndVerified_CuratedOnesSkipped_AndASecondRunDownloadsNothing()
    {
        using var server = new FixtureHttpServer(_fixture.Served());
        var manifest = _fixture.Files(server.BaseUri);

        var first = await Fetch(manifest, retries: 0);

        Assert.True(first.Succeeded);
        Assert.Equal(3, first.Count(FileOutcome.Downloaded));
        var skipped = Assert.Single(first.Files, f => f.Outcome == FileOutcome.Skipped);
        Assert.Equal(FetchFixture.Curated, skipped.File.Path);
        Assert.Contains("--source-base", skipped.Error, StringComparison.Ordinal);
        Assert.Equal(300_000 + 6, first.BytesTransferred);
        Assert.Contains(("/upstream/data/traces/big.txt", (string?)null), server.Requests);
        foreach (var path in new[] { FetchFixture.Big, FetchFixture.Small, FetchFixture.Empty })
        {
            Assert.Equal(_fixture.Content[path], File.ReadAllBytes(Local(path)));
        }

        Assert.False(File.Exists(Local(FetchFixture.Curated)));
        var requests = server.Requests.Count;

        var second = await Fetch(manifest, retries: 0);

        Assert.Equal(3, second.Count(FileOutcome.Present));
        Assert.Equal(0, second.BytesTransferred);
        Assert.Equal(requests, server.Requests.Count);
    }

    [Fact]
    public async Task FromAMirror_EveryFileIncludingCuratedOnesIsFetched()
    {
        using var server = new FixtureHttpServer(_fixture.Served());

        var report = await Fetch(_fixture.Files(server.BaseUri), mirror: new Uri(server.BaseUri, "mirror/"), retries: 0);

        Assert.Equal(4, report.Count(FileOutcome.Downloaded));
        Assert.Equal(_fixture.Content[FetchFixture.Curated], File.ReadAllBytes(Local(FetchFixture.Curated)));
        Assert.All(server.Requests, r => Assert.StartsWith("/mirror/abr/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectionDroppedMidway_LeavesOnlyAPartial_AndTheNextRunResumesWithARangeRequest()
    {
        using var server = new FixtureHttpServer(_fixture.Served()) { DropAfter = 120_000 };
        server.Modes["/upstream/data/traces/big.txt"] = ServeMode.DropFirstTransfer;
        var manifest = _fixture.Files(server.BaseUri);

        var first = await Fetch(manifest, retries: 0);

        var failed = Assert.Single(first.Failures);
        Assert.Equal(FetchFixture.Big, failed.File.Path);
        Assert.StartsWith(FetchFixture.Big + ":", failed.Error, StringComparison.Ordinal);
        Assert.Contains("run again to resume", failed.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Local(FetchFixture.Big)), "a half-written file must never be put in place");
        var partial = Local(FetchFixture.Big) + FileDownloader.PartialSuffix;
        Assert.Equal(120_000, new FileInfo(partial).Length);
        Assert.Equal(2, first.Count(FileOutcome.Downloaded));

        var second = await Fetch(manifest, retries: 0);

        Assert.True(second.Succeeded);
        Assert.Equal(FileOutcome.Resumed, second.Files.Single(f => f.File.Path == FetchFixture.Big).Outcome);
        Assert.Equal(300_000 - 120_000, second.BytesTransferred);
        Assert.Contains(("/upstream/data/traces/big.txt", "bytes=120000-"), server.Requests);
        Assert.Equal(_fixture.Content[FetchFixture.Big], File.ReadAllBytes(Local(FetchFixture.Big)));
        Assert.False(File.Exists(partial));
    }

    [Fact]
    public async Task ConnectionDroppedMidway_WithRetries_ResumesInTheSameRun()
    {
        using var server = new FixtureHttpServer(_fixture.Served()) { DropAfter = 50_000 };
        server.Modes["/upstream/data/traces/big.txt"] = ServeMode.DropFirstTransfer;

        var report = await Fetch(_fixture.Files(server.BaseUri), retries: 1);

        Assert.True(report.Succeeded);
        var big = report.Files.Single(f => f.File.Path == FetchFixture.Big);
        Assert.Equal(FileOutcome.Resumed, big.Outcome);
        Assert.Equal(300_000, big.BytesTransferred);
        Assert.Equal(_fixture.Content[FetchFixture.Big], File.ReadAllBytes(Local(FetchFixture.Big)));
    }

    [Fact]
    public async Task CorruptDownload_FailsNamingTheFile_AndLeavesNothingInPlace()
    {
        using var server = new FixtureHttpServer(_fixture.Served());
        server.Modes["/upstream/data/traces/big.txt"] = ServeMode.Corrupt;

        var report = await Fetch(_fixture.Files(server.BaseUri), retries: 2);

        var failed = Assert.Single(report.Failures);
        Assert.StartsWith(FetchFixture.Big + ": checksum mismatch", failed.Error, StringComparison.Ordinal);
        Assert.Contains(_fixture.Files(server.BaseUri).Single(f => f.Path == FetchFixture.Big).Sha256, failed.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Local(FetchFixture.Big)));
        Assert.False(File.Exists(Local(FetchFixture.Big) + FileDownloader.PartialSuffix));
        Assert.Single(server.Requests, r => r.Path == "/upstream/data/traces/big.txt"); // corruption is not retried
        Assert.Equal(_fixture.Content[FetchFixture.Small], File.ReadAllBytes(Local(FetchFixture.Small)));
    }

    [Fact]
    public async Task ServerIgnoringRange_RestartsTheFileFromTheStart()
    {
        using var server = new FixtureHttpServer(_fixture.Served());
        server.Modes["/upstream/data/traces/big.txt"] = ServeMode.IgnoreRange;
        var partial = Local(FetchFixture.Big) + FileDownloader.PartialSuffix;
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        File.WriteAllBytes(partial, new byte[1000]); // garbage that a resume would keep

        var report = await Fetch(_fixture.Files(server.BaseUri), retries: 0);

        Assert.True(report.Succeeded);
        Assert.Equal(FileOutcome.Downloaded, report.Files.Single(f => f.File.Path == FetchFixture.Big).Outcome);
        Assert.Equal(_fixture.Content[FetchFixture.Big], File.ReadAllBytes(Local(FetchFixture.Big)));
    }

    [Fact]
    public async Task WrongFileInPlace_IsReplacedByTheVerifiedDownload_AndMissingFilesReport404()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Local(FetchFixture.Small))!);
        File.WriteAllText(Local(FetchFixture.Small), "edited\n");
        var served = _fixture.Served();
        served.Remove("/upstream/data/videos/empty.txt");
        using var partialServer = new FixtureHttpServer(served);

        var report = await Fetch(_fixture.Files(partialServer.BaseUri), retries: 0);

        Assert.Equal(FileOutcome.Replaced, report.Files.Single(f => f.File.Path == FetchFixture.Small).Outcome);
        Assert.Equal(_fixture.Content[FetchFixture.Small], File.ReadAllBytes(Local(FetchFixture.Small)));
        var missing = Assert.Single(report.Failures);
        Assert.StartsWith(FetchFixture.Empty + ": HTTP 404", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_CountsBytesAndSaysFilesAndMegabytes()
    {
        using var server = new FixtureHttpServer(_fixture.Served());
        var sink = new RecordingSink();

        await new DataFetcher(_client).RunAsync(
            _fixture.Files(server.BaseUri),
            new DataFetchOptions { DataRoot = Root, Selection = "abr", SourceBase = new Uri(server.BaseUri, "mirror/"), Retries = 0, RetryDelay = TimeSpan.FromMilliseconds(10), Parallelism = 1 },
            sink,
            CancellationToken.None);

        Assert.Equal(sink.Total, sink.Done);
        Assert.True(sink.Total >= 300_000, $"total {sink.Total}");
        Assert.Equal(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"4/4 files, {sink.Total / 1e6:F1} of {sink.Total / 1e6:F1} MB"), sink.Status);
    }

    private sealed class RecordingSink : IProgressSink, IProgressTask
    {
        public double Total { get; private set; }

        public double Done { get; private set; }

        public string? Status { get; private set; }

        public IProgressTask Start(string description, double total)
        {
            Total = total;
            return this;
        }

        public void Advance(double steps, string? status = null)
        {
            Done += steps;
            Status = status ?? Status;
        }

        public void Dispose()
        {
        }
    }

    private static string Local(string root, string path) => Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));

    private string Local(string path) => Local(Root, path);

    private Task<DataFetchReport> Fetch(IReadOnlyList<DataFile> files, int retries, Uri? mirror = null) =>
        new DataFetcher(_client).RunAsync(
            files,
            new DataFetchOptions { DataRoot = Root, Selection = "abr", SourceBase = mirror, Retries = retries, RetryDelay = TimeSpan.FromMilliseconds(10), Parallelism = 2 },
            NullProgressSink.Instance,
            CancellationToken.None);
}
