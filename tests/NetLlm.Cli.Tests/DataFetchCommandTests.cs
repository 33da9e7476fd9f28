using System.Text.Json.Nodes;
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

        var fetch = _cli.Run("data", "fetch", "--dataset", "abr", "--data-root", Root, "--source-base", mirror.BaseUri.ToString(), "--retries", "0", "--progress", "none", "--json");

        Assert.True(fetch.Exit == 0, fetch.Error + fetch.Out);
        var json = JsonNode.Parse(fetch.Out)!;
        var expected = DatasetManifest.Embedded.Select("abr");
        Assert.Equal(expected.Count, (int)json["counts"]!["downloaded"]!);
        Assert.Equal(expected.Sum(f => f.Size), (long)json["bytes_transferred"]!);
        Assert.Empty(json["problems"]!.AsArray());
        Assert.Empty(Directory.GetFiles(Root, "*" + FileDownloader.PartialSuffix, SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(Root, "cjs")));

        var shared = _cli.Run("test", "--task", "abr", "--policy", "abr.mpc", "--setting", "unseen-1", "--data-root", TestPaths.DataRoot, "--progress", "none", "--json");
        var fetched = _cli.Run("test", "--task", "abr", "--policy", "abr.mpc", "--setting", "unseen-1", "--data-root", Root, "--progress", "none", "--json");
        Assert.True(fetched.Exit == 0, fetched.Error);
        Assert.Equal((double)JsonNode.Parse(shared.Out)!["results"]![0]!["metric"]!, (double)JsonNode.Parse(fetched.Out)!["results"]![0]!["metric"]!);

        var again = _cli.Run("data", "fetch", "--dataset", "abr", "--data-root", Root, "--source-base", mirror.BaseUri.ToString(), "--progress", "none");
        Assert.True(again.Exit == 0, again.Error);
        Assert.Contains($"{expected.Count} present, 0 downloaded", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void FetchFromAMirrorWithACorruptFile_ExitsWithTheFileNamed()
    {
        var copy = Path.Combine(_mirror.Path, "vp");
        Directory.CreateDirectory(copy);
        // Full length but other bytes: a corrupt file, not a short transfer (which would be kept to resume).
        var readme = DatasetManifest.Embedded.Select("vp").Single(f => f.Path == "vp/README.md");
        File.WriteAllBytes(Path.Combine(copy, "README.md"), Enumerable.Repeat((byte)'x', (int)readme.Size).ToArray());
        using var mirror = new FixtureHttpServer(folder: _mirror.Path);
        var fetch = _cli.Run("data", "fetch", "--dataset", "vp", "--data-root", Root, "--source-base", mirror.BaseUri.ToString(), "--retries", "0", "--parallel", "8", "--progress", "none");

        Assert.Equal(1, fetch.Exit);
        Assert.Contains("error: vp/README.md: checksum mismatch", fetch.Out, StringComparison.Ordinal);
        Assert.Contains("error: vp/viewports/Jin2022/video1/5Hz/simple_5Hz_user1.csv: HTTP 404", fetch.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Root, "vp", "README.md")));
        Assert.Empty(Directory.GetFiles(Root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void UnknownDatasetAndBadUrls_AreUsageErrors()
    {
        var dataset = _cli.Run("data", "fetch", "--dataset", "nope", "--data-root", Root, "--progress", "none");
        var url = _cli.Run("data", "fetch", "--dataset", "abr", "--data-root", Root, "--source-base", "ftp://example.org/data/", "--progress", "none");

        Assert.NotEqual(0, dataset.Exit);
        Assert.Contains("nope", dataset.Error, StringComparison.Ordinal);
        Assert.Equal(2, url.Exit);
        Assert.Contains("is not an http(s) URL", url.Error, StringComparison.Ordinal);
    }
}
