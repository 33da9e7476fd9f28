using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Hosting.Data;
using NetLlm.Hosting.Data.Fetch;
using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class DataFetchCommandTests : IDisposable
{
    private readonly CliHarness _cli;
    private readonly TempDirectory _temp = new("netllm-fetch-cli-");
    private readonly TempDirectory _mirror = new("netllm-fetch-mirror-");

    public DataFetchCommandTests(CliHarness cli)
    {
        _cli = cli;
    }

    private string Root => _temp.Path;

    public void Dispose()
    {
        _temp.Dispose();
        _mirror.Dispose();
    }

    [DataFact("abr")]
    public void FetchAbr_FromALocalMirrorOfTheDataRoot_GivesAVerifiedDataRootTheTaskRunsOn()
    {
        using var mirror = new FixtureHttpServer(folder: TestPaths.DataRoot);

        var fetch = _cli.Run("data", "fetch", "--task", "abr", "--data-root", Root, "--source-base", mirror.BaseUri.ToString(), "--retries", "0", "--progress", "none", "--json");

        Assert.True(fetch.Exit == 0, fetch.Error + fetch.Out);
        var json = JsonNode.Parse(fetch.Out)!;
        var expected = FilesOf("abr");
        Assert.Equal(expected.Count, (int)json["counts"]!["downloaded"]!);
        Assert.Equal(expected.Sum(f => f.Size), (long)json["bytes_transferred"]!);
        Assert.Empty(json["problems"]!.AsArray());
        Assert.Empty(Directory.GetFiles(Root, "*" + FileDownloader.PartialSuffix, SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(Root, "cjs")));

        var shared = _cli.Run("test", "--task", "abr", "--policy", "abr.mpc", "--setting", "unseen-1", "--data-root", TestPaths.DataRoot, "--progress", "none", "--json");
        var fetched = _cli.Run("test", "--task", "abr", "--policy", "abr.mpc", "--setting", "unseen-1", "--data-root", Root, "--progress", "none", "--json");
        Assert.True(fetched.Exit == 0, fetched.Error);
        Assert.Equal((double)JsonNode.Parse(shared.Out)!["results"]![0]!["metric"]!, (double)JsonNode.Parse(fetched.Out)!["results"]![0]!["metric"]!);

        var again = _cli.Run("data", "fetch", "--task", "abr", "--data-root", Root, "--source-base", mirror.BaseUri.ToString(), "--progress", "none");
        Assert.True(again.Exit == 0, again.Error);
        Assert.Contains($"{expected.Count} present, 0 downloaded", again.Out, StringComparison.Ordinal);
    }

    /// <summary>The files each shipped task lists (its embedded data manifest) are exactly the shared data root's.</summary>
    [DataFact("abr", "cjs", "vp")]
    public void ShippedTasks_ListTheSharedDataRoot_FileForFile()
    {
        var root = TestPaths.DataRoot;
        var listed = FilesOf("all");
        var onDisk = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(onDisk, listed.Select(f => f.Path));
        Assert.All(listed, f => Assert.Equal(f.Size, new FileInfo(Path.Combine(root, f.Path)).Length));
        foreach (var f in listed.Where((_, i) => i % 10 == 0))
        {
            Assert.Equal(f.Sha256, DataCheck.Sha256Of(Path.Combine(root, f.Path)));
        }

        Assert.Equal(3133, FilesOf("vp").Count); // 3,132 viewport CSVs and the README
        Assert.Equal(619, FilesOf("cjs").Count); // 462 .npy, 154 JSON copies, model.pt, its JSON, the README
        Assert.Equal(listed.Count, FilesOf("abr").Count + 619 + 3133);
        Assert.Equal(165, listed.Count(f => f.Url is null)); // curated: READMEs and the format conversions
        Assert.All(FilesOf("cjs").Where(f => f.Path.StartsWith("cjs/tpch_json/", StringComparison.Ordinal)), f => Assert.Null(f.Url));

        Assert.Equal(
            "https://raw.githubusercontent.com/duowuyms/NetLLM/105bcf070f2bec808f7b14f8f5a953de6e4e6e54/adaptive_bitrate_streaming/data/videos/video1_sizes/video_size_0",
            listed.Single(f => f.Path == "abr/videos/video1_sizes/video_size_0").Url!.AbsoluteUri);
        Assert.Equal(
            "https://raw.githubusercontent.com/GenetProject/Genet/5d4303bf7d817136889120eab87f05e22066add3/abr_trace/training_trace/norway_train/norway_bus_1",
            listed.Single(f => f.Path == "abr/extra_genet/traces/norway_train/norway_bus_1").Url!.AbsoluteUri);
        Assert.EndsWith("/NetLLM/105bcf070f2bec808f7b14f8f5a953de6e4e6e54/cluster_job_scheduling/models/decima/model.pt", listed.Single(f => f.Path == "cjs/models/decima/model.pt").Url!.AbsoluteUri, StringComparison.Ordinal);
        var pointers = listed.Single(f => f.Path == "abr/traces/test/fcc-test_mahimahi_ptrs.json");
        Assert.Null(DataFetcher.DownloadUri(pointers, null));
        Assert.Equal("http://mirror.example/data/abr/traces/test/fcc-test_mahimahi_ptrs.json", DataFetcher.DownloadUri(pointers, new Uri("http://mirror.example/data"))!.AbsoluteUri);
        Assert.Equal(["genet", "netllm"], _cli.Registry.Tasks.Single(t => t.Info.Id == "abr").Info.DataSources.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [DataFact("abr", "cjs", "vp")]
    public void DataCheck_OnTheSharedDataRoot_VerifiesEveryListedFile()
    {
        var check = _cli.Run("data", "check", "--data-root", TestPaths.DataRoot, "--json");

        Assert.True(check.Exit == 0, check.Out + check.Error);
        var items = JsonNode.Parse(check.Out)!["items"]!.AsArray();
        Assert.All(items, i => Assert.Equal("ok", (string)i!["status"]!));
        Assert.Contains(items, i => (string)i!["path"]! == Path.Combine(TestPaths.DataRoot, "abr", "extra_genet", "traces", "norway_train") && (int)i["found"]! == 115);
    }

    [Fact]
    public void DataCheck_OnTheFixtureSubset_VerifiesChecksumsAndReportsTheListedFilesThatAreMissing()
    {
        var root = TestPaths.FixtureData;
        var check = _cli.Run("data", "check", "--data-root", root, "--json");

        Assert.Equal(1, check.Exit);
        var items = JsonNode.Parse(check.Out)!["items"]!.AsArray().ToDictionary(i => Path.GetRelativePath(root, (string)i!["path"]!).Replace('\\', '/'));
        Assert.Equal("ok", (string)items["abr/videos/video1_sizes"]!["status"]!);
        Assert.Equal("incomplete", (string)items["abr/traces/test/fcc-test"]!["status"]!);
        Assert.Contains(" listed file(s) missing, first ", (string)items["abr/traces/test/fcc-test"]!["detail"]!, StringComparison.Ordinal);
        Assert.Equal("missing", (string)items["abr/extra_genet/traces/norway_train"]!["status"]!);
    }

    private IReadOnlyList<DataFile> FilesOf(string task) =>
        DataFetcher.FilesOf(_cli.Registry.Tasks.Where(t => task == "all" || t.Info.Id == task).SelectMany(t => t.Info.Data.Select(r => (t.Info.Id, r))));

    [Fact]
    public void FetchFromAMirrorWithACorruptFile_ExitsWithTheFileNamed()
    {
        var copy = Path.Combine(_mirror.Path, "vp");
        Directory.CreateDirectory(copy);
        // Full length but other bytes: a corrupt file, not a short transfer (which would be kept to resume).
        var readme = FilesOf("vp").Single(f => f.Path == "vp/README.md");
        File.WriteAllBytes(Path.Combine(copy, "README.md"), Enumerable.Repeat((byte)'x', (int)readme.Size).ToArray());
        using var mirror = new FixtureHttpServer(folder: _mirror.Path);
        var fetch = _cli.Run("data", "fetch", "--task", "vp", "--data-root", Root, "--source-base", mirror.BaseUri.ToString(), "--retries", "0", "--parallel", "8", "--progress", "none");

        Assert.Equal(1, fetch.Exit);
        Assert.Contains("error: vp/README.md: checksum mismatch", fetch.Out, StringComparison.Ordinal);
        Assert.Contains("error: vp/viewports/Jin2022/video1/5Hz/simple_5Hz_user1.csv: HTTP 404", fetch.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Root, "vp", "README.md")));
        Assert.Empty(Directory.GetFiles(Root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void UnknownTaskAndBadUrls_AreUsageErrors()
    {
        var task = _cli.Run("data", "fetch", "--task", "nope", "--data-root", Root, "--progress", "none");
        var url = _cli.Run("data", "fetch", "--dataset", "abr", "--data-root", Root, "--source-base", "ftp://example.org/data/", "--progress", "none");

        Assert.Equal(2, task.Exit);
        Assert.Contains("--task: unknown task 'nope'; tasks with data to fetch: abr, cjs, vp, all", task.Error, StringComparison.Ordinal);
        Assert.Equal(2, url.Exit);
        Assert.Contains("is not an http(s) URL", url.Error, StringComparison.Ordinal);
    }
}
