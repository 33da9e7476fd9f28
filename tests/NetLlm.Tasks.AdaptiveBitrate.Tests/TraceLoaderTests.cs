using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Testing;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

public sealed class TraceLoaderTests
{
    [Theory]
    [InlineData("", ": empty trace file")]
    [InlineData("0.0\t1.5\n", ": only one sample")]
    [InlineData("0.0\t1.5\n1.0\tfast\n", ":2: bandwidth 'fast' is not a number")]
    [InlineData("0.0\t1.5\n1.0\t-0.5\n", ":2: negative bandwidth -0.5")]
    [InlineData("0.0\t1.5\n1.0\t1.0\n1.0\t2.0\n", ":3: time 1 does not increase")]
    [InlineData("0.0\t1.5\n1.0\tNaN\n", ":2: bandwidth 'NaN' is not a finite number")]
    [InlineData("0.0\t1.5\n1.0\n", ":2: expected '<time_s> <Mbps>'")]
    [InlineData("0.0\t1.5\n\n2.0\t1.0\n", ":2: blank line inside the trace")]
    [InlineData("0.0\t1.5\n1.0\t0\n2.0\t0\n", "every bandwidth sample after the first is zero")]
    public void BadFile_ThrowsNamingFileAndLine(string content, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("trace_x", content);
        var e = Assert.Throws<InvalidDataException>(() => TraceLoader.LoadFile(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_ReportsEveryBadFile()
    {
        using var dir = new TempDirectory();
        dir.File("a_good", "0.0\t1.0\n1.0\t2.0\n");
        var empty = dir.File("b_empty", string.Empty);
        var negative = dir.File("c_negative", "0.0\t1.0\n1.0\t-2.0\n");
        var nan = dir.File("d_nan", "0.0\tnan\n1.0\t2.0\n");
        var e = Assert.Throws<InvalidDataException>(() => TraceLoader.LoadDirectory(dir.Path));
        Assert.Contains("3 of 4 trace files are invalid", e.Message, StringComparison.Ordinal);
        Assert.Contains(empty, e.Message, StringComparison.Ordinal);
        Assert.Contains(negative + ":2:", e.Message, StringComparison.Ordinal);
        Assert.Contains(nan + ":1:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_SortsOrdinally_SkipsPickleAndHiddenFiles_AndIgnoresExtraColumns()
    {
        using var dir = new TempDirectory();
        dir.File("b", "0.0\t1.0\n1.0\t2.0\n");
        dir.File("B", "0.0\t3.0\t99\n2.0\t4.0\textra\n");
        dir.File("a", "0.0 5.0\n1.5 6.0\n");
        dir.File("ptrs.pkl", "not a trace");
        dir.File(".hidden", "not a trace");
        var traces = TraceLoader.LoadDirectory(dir.Path);
        Assert.Equal(["B", "a", "b"], traces.Select(t => t.Name).ToArray());
        Assert.Equal([3.0, 4.0], traces[0].Mbps.ToArray());
        Assert.Equal([0.0, 1.5], traces[1].Times.ToArray());
        Assert.Equal(System.IO.Path.GetFileName(dir.Path) + "_a", traces[1].QualifiedName);
    }

    [DataFact("abr")]
    public void FccTest_LoadsAllTracesInSortedOrder()
    {
        var traces = AbrTestData.FccTest;
        Assert.Equal(100, traces.Count);
        Assert.Equal("fcc-test_000_trace_942154_http---www.ebay.com_0", traces[0].QualifiedName);
        Assert.Equal(16938, traces.Sum(t => t.Count));
    }

    [DataFact("abr")]
    public void StartPointers_ValidateCountAndRange()
    {
        using var dir = new TempDirectory();
        var traces = AbrTestData.FccTest;
        var shortFile = dir.File("short.json", "[1, 2, 3]");
        var e1 = Assert.Throws<InvalidDataException>(() => StartPointerFile.Load(shortFile, traces));
        Assert.Contains("3 start pointers for 100 traces", e1.Message, StringComparison.Ordinal);

        var zero = dir.File("zero.json", "[" + string.Join(",", Enumerable.Repeat("0", 100)) + "]");
        var e2 = Assert.Throws<InvalidDataException>(() => StartPointerFile.Load(zero, traces));
        Assert.Contains("entry 0 (0)", e2.Message, StringComparison.Ordinal);

        var text = dir.File("text.json", "[1, \"x\"]");
        Assert.Contains("entry 1", Assert.Throws<InvalidDataException>(() => StartPointerFile.Load(text, traces)).Message, StringComparison.Ordinal);

        var pointers = StartPointerFile.Load(AbrTestData.Data("abr/traces/test/fcc-test_mahimahi_ptrs.json"), traces);
        Assert.Equal(100, pointers.Count);
        Assert.Equal(28, pointers[0]);
        Assert.Equal(3, pointers[99]);
    }
}
