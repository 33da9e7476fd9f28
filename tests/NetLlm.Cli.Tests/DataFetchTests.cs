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
        var manifest = _fixture.Manifest(server.BaseUri);

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

        var report = await Fetch(_fixture.Manifest(server.BaseUri), mirror: new Uri(server.BaseUri, "mirror/"), retries: 0);

        Assert.Equal(4, report.Count(FileOutcome.Downloaded));
        Assert.Equal(_fixture.Content[FetchFixture.Curated], File.ReadAllBytes(Local(FetchFixture.Curated)));
        Assert.All(server.Requests, r => Assert.StartsWith("/mirror/abr/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectionDroppedMidway_LeavesOnlyAPartial_AndTheNextRunResumesWithARangeRequest()
    {
        using var server = new FixtureHttpServer(_fixture.Served()) { DropAfter = 120_000 };
        server.Modes["/upstream/data/traces/big.txt"] = ServeMode.DropFirstTransfer;
        var manifest = _fixture.Manifest(server.BaseUri);

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

        var report = await Fetch(_fixture.Manifest(server.BaseUri), retries: 1);

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

        var report = await Fetch(_fixture.Manifest(server.BaseUri), retries: 2);

        var failed = Assert.Single(report.Failures);
        Assert.StartsWith(FetchFixture.Big + ": checksum mismatch", failed.Error, StringComparison.Ordinal);
        Assert.Contains(_fixture.Manifest(server.BaseUri).Files.Single(f => f.Path == FetchFixture.Big).Sha256, failed.Error, StringComparison.Ordinal);
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

        var report = await Fetch(_fixture.Manifest(server.BaseUri), retries: 0);

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

        var report = await Fetch(_fixture.Manifest(partialServer.BaseUri), retries: 0);

        Assert.Equal(FileOutcome.Replaced, report.Files.Single(f => f.File.Path == FetchFixture.Small).Outcome);
        Assert.Equal(_fixture.Content[FetchFixture.Small], File.ReadAllBytes(Local(FetchFixture.Small)));
        var missing = Assert.Single(report.Failures);
        Assert.StartsWith(FetchFixture.Empty + ": HTTP 404", missing.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file\t../escape\t1\t" + Sha + "\tnetllm", "unsafe path '../escape'")]
    [InlineData("file\tabr/x\t-1\t" + Sha + "\tnetllm", "size '-1' of abr/x")]
    [InlineData("file\tabr/x\t1\tABC\tnetllm", "SHA-256 of abr/x")]
    [InlineData("file\tabr/x\t1\t" + Sha + "\tnowhere", "unknown source 'nowhere'")]
    [InlineData("file\tcjs/x\t1\t" + Sha + "\tnetllm", "no map of source 'netllm' covers cjs/x")]
    [InlineData("bogus", "line 4: expected")]
    public void MalformedManifest_NamesTheFileAndLine(string line, string expected)
    {
        var text = $"# t\nsource\tnetllm\thttp://127.0.0.1/u/\tnote\nmap\tnetllm\tabr/\td/\n{line}\n";

        var e = Assert.Throws<InvalidDataException>(() => DatasetManifest.Parse(text, "bad.tsv"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(expected.StartsWith("no map", StringComparison.Ordinal) ? "dataset manifest" : "bad.tsv line 4", e.Message, StringComparison.Ordinal);
    }

    [DataFact("abr", "cjs", "vp")]
    public void EmbeddedManifest_DescribesTheSharedDataRoot_FileForFile()
    {
        var manifest = DatasetManifest.Embedded;
        var root = TestPaths.DataRoot;
        var onDisk = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(onDisk, manifest.Files.Select(f => f.Path));
        Assert.All(manifest.Files, f => Assert.Equal(f.Size, new FileInfo(Path.Combine(root, f.Path)).Length));
        foreach (var f in manifest.Files.Where((_, i) => i % 10 == 0))
        {
            Assert.Equal(f.Sha256, DownloadVerifier.Sha256Of(Path.Combine(root, f.Path)));
        }

        Assert.Equal(3133, manifest.Select("vp").Count); // 3,132 viewport CSVs and the README
        Assert.Equal(619, manifest.Select("cjs").Count); // 462 .npy, 154 JSON copies, model.pt, its JSON, the README
        Assert.Equal(manifest.Files.Count, manifest.Select("abr").Count + 619 + 3133);
        Assert.Equal(165, manifest.Files.Count(f => f.IsCurated)); // READMEs and the format conversions
        Assert.All(manifest.Select("cjs").Where(f => f.Path.StartsWith("cjs/tpch_json/", StringComparison.Ordinal)), f => Assert.True(f.IsCurated));

        var video = manifest.Files.Single(f => f.Path == "abr/videos/video1_sizes/video_size_0");
        Assert.Equal(
            "https://raw.githubusercontent.com/duowuyms/NetLLM/105bcf070f2bec808f7b14f8f5a953de6e4e6e54/adaptive_bitrate_streaming/data/videos/video1_sizes/video_size_0",
            manifest.DownloadUri(video, null)!.AbsoluteUri);
        var norway = manifest.Files.Single(f => f.Path == "abr/extra_genet/traces/norway_train/norway_bus_1");
        Assert.Equal(
            "https://raw.githubusercontent.com/GenetProject/Genet/5d4303bf7d817136889120eab87f05e22066add3/abr_trace/training_trace/norway_train/norway_bus_1",
            manifest.DownloadUri(norway, null)!.AbsoluteUri);
        var decima = manifest.Files.Single(f => f.Path == "cjs/models/decima/model.pt");
        Assert.EndsWith("/NetLLM/105bcf070f2bec808f7b14f8f5a953de6e4e6e54/cluster_job_scheduling/models/decima/model.pt", manifest.DownloadUri(decima, null)!.AbsoluteUri, StringComparison.Ordinal);
        var pointers = manifest.Files.Single(f => f.Path == "abr/traces/test/fcc-test_mahimahi_ptrs.json");
        Assert.Null(manifest.DownloadUri(pointers, null));
        Assert.Equal("http://mirror.example/data/abr/traces/test/fcc-test_mahimahi_ptrs.json", manifest.DownloadUri(pointers, new Uri("http://mirror.example/data"))!.AbsoluteUri);
    }

    private static string Local(string root, string path) => Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));

    private string Local(string path) => Local(Root, path);

    private const string Sha = "0000000000000000000000000000000000000000000000000000000000000000";

    private Task<DataFetchReport> Fetch(DatasetManifest manifest, int retries, Uri? mirror = null) =>
        new DataFetcher(manifest, _client).RunAsync(
            new DataFetchOptions { DataRoot = Root, Dataset = "abr", SourceBase = mirror, Retries = retries, RetryDelay = TimeSpan.FromMilliseconds(10), Parallelism = 2 },
            NullProgressSink.Instance,
            CancellationToken.None);
}
