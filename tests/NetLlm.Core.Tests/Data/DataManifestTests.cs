using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Data;

namespace NetLlm.Core.Tests.Data;

public sealed class DataManifestTests
{
    private const string Sha = "0000000000000000000000000000000000000000000000000000000000000000";
    private const string Head = "# t\nsource\tnetllm\thttp://127.0.0.1/u/\tnote\nmap\tnetllm\tabr/\td/\nmap\tnetllm\tabr/x/special\tother/place\n";

    [Theory]
    [InlineData("file\t../escape\t1\t" + Sha + "\tnetllm", "unsafe path '../escape'")]
    [InlineData("file\tabr/x\t-1\t" + Sha + "\tnetllm", "size '-1' of abr/x")]
    [InlineData("file\tabr/x\t1\tABC\tnetllm", "SHA-256 of abr/x")]
    [InlineData("file\tabr/x\t1\t" + Sha + "\tnowhere", "unknown source 'nowhere'")]
    [InlineData("file\tcjs/x\t1\t" + Sha + "\tnetllm", "no map of source 'netllm' covers cjs/x")]
    [InlineData("bogus", "line 5: expected")]
    public void MalformedManifest_NamesTheFileAndLine(string line, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => DataManifest.Parse(Head + line + "\n", "bad.tsv"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.tsv line 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PublicFilesGetTheirSourceUrlThroughTheLongestMap_CuratedOnesNone()
    {
        var manifest = DataManifest.Parse(Head + $"file\tabr/x/special\t3\t{Sha}\tnetllm\nfile\tabr/x/a b.txt\t2\t{Sha}\tnetllm\nfile\tabr/notes.md\t1\t{Sha}\tcurated\tby hand\n", "m.tsv");

        Assert.Equal(["abr/notes.md", "abr/x/a b.txt", "abr/x/special"], manifest.Files.Select(f => f.Path));
        Assert.Null(manifest.Files[0].Url);
        Assert.Equal("by hand", manifest.Files[0].Origin);
        Assert.Equal("http://127.0.0.1/u/d/x/a%20b.txt", manifest.Files[1].Url!.AbsoluteUri);
        Assert.Equal("http://127.0.0.1/u/other/place", manifest.Files[2].Url!.AbsoluteUri);
        Assert.Equal(new DataSource("netllm", new Uri("http://127.0.0.1/u/"), "note"), Assert.Single(manifest.Sources));
    }

    [Fact]
    public void Attach_GivesEachFileToTheDeepestRequirementThatCoversIt()
    {
        var manifest = DataManifest.Parse(Head + $"file\tabr/x/special\t3\t{Sha}\tnetllm\nfile\tabr/x/t1\t2\t{Sha}\tnetllm\nfile\tabr/xy\t1\t{Sha}\tnetllm\n", "m.tsv");
        DataRequirement[] requirements = [new("abr/x", "*", 1, true, "s"), new("abr/x/special", null, 1, false, "s"), new("abr/xy", null, 1, false, "s")];

        var attached = manifest.Attach(requirements);

        Assert.Equal([["abr/x/t1"], ["abr/x/special"], ["abr/xy"]], attached.Select(r => r.Files.Select(f => f.Path).ToArray()).ToArray());
        Assert.Equal(requirements.Select(r => r.RelativePath), attached.Select(r => r.RelativePath));
    }

    [Fact]
    public void Attach_RefusesAFileNoRequirementCovers()
    {
        var manifest = DataManifest.Parse(Head + $"file\tabr/stray\t1\t{Sha}\tnetllm\n", "m.tsv");

        var e = Assert.Throws<InvalidDataException>(() => manifest.Attach([new DataRequirement("abr/x", "*", 1, true, "s")]));

        Assert.Contains("abr/stray is under no data requirement", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromResource_NamesTheAssemblyWhenTheResourceIsMissing()
    {
        var e = Assert.Throws<InvalidOperationException>(() => DataManifest.FromResource(typeof(DataManifestTests).Assembly, "nope.tsv"));

        Assert.Contains("NetLlm.Core.Tests embeds no resource 'nope.tsv'", e.Message, StringComparison.Ordinal);
    }
}
