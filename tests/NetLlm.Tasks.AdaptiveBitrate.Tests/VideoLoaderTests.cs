using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Testing;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

public sealed class VideoLoaderTests
{
    private static readonly int[] Ladder = [300, 750, 1200, 1850, 2850, 4300];

    private static void WriteLevels(TempDirectory dir, int levels, int lines, Func<int, int, string>? value = null)
    {
        for (var q = 0; q < levels; q++)
        {
            var content = string.Concat(Enumerable.Range(0, lines).Select(i => (value?.Invoke(q, i) ?? ((q + 1) * 1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)) + "\n"));
            dir.File("video_size_" + q, content);
        }
    }

    [Fact]
    public void Video1_LoadsWithTheReadmeBitrates()
    {
        var video = AbrTestData.Video1;
        Assert.Equal(181801, video.ChunkBytes(0, 0));
        double[] readme = [302, 750, 1197, 1843, 2838, 4279];
        for (var q = 0; q < 6; q++)
        {
            Assert.Equal(readme[q], video.MeanBitrateKbps(q), 0);
        }
    }

    [Fact]
    public void WrongLineCount_NamesTheFile()
    {
        using var dir = new TempDirectory();
        WriteLevels(dir, 6, 49);
        dir.File("video_size_3", string.Concat(Enumerable.Range(0, 48).Select(i => "5000\n")));
        var e = Assert.Throws<InvalidDataException>(() => VideoLoader.LoadDirectory(dir.Path));
        Assert.Contains("video_size_3: 48 lines, expected 49", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingAndExtraLevels_AreMismatchedLevels()
    {
        using var dir = new TempDirectory();
        WriteLevels(dir, 5, 49);
        dir.File("video_size_7", "1\n");
        var e = Assert.Throws<InvalidDataException>(() => VideoLoader.LoadDirectory(dir.Path));
        Assert.Contains("video_size_5: missing (mismatched levels", e.Message, StringComparison.Ordinal);
        Assert.Contains("video_size_7: mismatched levels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SizesDecreasingWithLevel_AreMismatchedLevels()
    {
        using var dir = new TempDirectory();
        WriteLevels(dir, 6, 49, (q, i) => (q == 2 && i == 10 ? 1 : (q + 1) * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var e = Assert.Throws<InvalidDataException>(() => VideoLoader.LoadDirectory(dir.Path));
        Assert.Contains("video_size_2:11: mismatched levels: 1 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonIntegerAndNonPositiveSizes_NameTheLine()
    {
        using var dir = new TempDirectory();
        WriteLevels(dir, 6, 49, (q, i) => q == 0 && i == 4 ? "12.5" : q == 1 && i == 0 ? "0" : ((q + 1) * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var e = Assert.Throws<InvalidDataException>(() => VideoLoader.LoadDirectory(dir.Path));
        Assert.Contains("video_size_0:5: '12.5' is not an integer", e.Message, StringComparison.Ordinal);
        Assert.Contains("video_size_1:1: chunk size 0 is not positive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InMemoryTable_ChecksLevelsAndLengths()
    {
        var ok = Enumerable.Range(0, 6).Select(q => (IReadOnlyList<long>)Enumerable.Repeat((long)Ladder[q] * 500, 49).ToList()).ToList();
        Assert.Equal(4300 * 500, new AbrVideo("ok", ok).ChunkBytes(5, 48));
        Assert.Contains("mismatched levels: 5 levels", Assert.Throws<InvalidDataException>(() => new AbrVideo("five", ok.Take(5).ToList())).Message, StringComparison.Ordinal);
    }

    /// <summary>Chunk sizes of 10^15 bytes and a size file that is a link to /dev/zero used to hang the simulator or the reader (issue 15).</summary>
    [Fact]
    public void HugeChunkOrEndlessFile_IsRefusedNamingTheFile()
    {
        using var dir = new TempDirectory();
        WriteLevels(dir, 6, 49, (q, i) => q == 5 && i == 7 ? "1000000000000000" : ((q + 1) * 1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var huge = Assert.Throws<InvalidDataException>(() => VideoLoader.LoadDirectory(dir.Path));
        Assert.Contains("video_size_5:8: chunk size 1000000000000000 is more than 1073741824 bytes", huge.Message, StringComparison.Ordinal);

        using var endless = new TempDirectory();
        WriteLevels(endless, 6, 49);
        File.Delete(endless.File("video_size_2"));
        Assert.True(File.Exists("/dev/zero"), "the test machine has /dev/zero (Linux CI)");
        File.CreateSymbolicLink(endless.File("video_size_2"), "/dev/zero");
        var e = Assert.Throws<InvalidDataException>(() => VideoLoader.LoadDirectory(endless.Path));
        Assert.Contains("video_size_2: larger than 1048576 bytes", e.Message, StringComparison.Ordinal);
    }
}
