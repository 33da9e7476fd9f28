using Sample.NetLlmDecisionTask.Data;

namespace Sample.NetLlmDecisionTask.Tests;

/// <summary>Trace files: the format, the validator's messages (file and line) and the generated traces.</summary>
public sealed class DataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("link-traces-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    internal static string[] Rows(int count, Func<int, string> row) => Enumerable.Range(0, count).Select(row).ToArray();

    [Fact]
    public void Reader_ReadsCapacitiesAndSkipsCommentsAndBlankLines()
    {
        var path = Write("a.txt", ["# header", "", .. Rows(10, i => $"{i} {i * 0.5},{2.25}")]);

        var trace = LinkTraceReader.LoadFile(path);

        Assert.Equal("a.txt", trace.Name);
        Assert.Equal(10, trace.Steps);
        Assert.Equal(7f, trace.Capacity(7, 0));
        Assert.Equal(3.5f, trace.Capacity(7, 1));
        Assert.Equal(2.25f, trace.Capacity(9, 2));
    }

    [Fact]
    public void Validator_NamesTheFileAndLineOfABadCapacity()
    {
        var path = Write("bad.txt", ["# header", "1 2 3", "1 -2 3", .. Rows(10, _ => "1 1 1")]);

        var problem = LinkTraceReader.Validate(path);

        Assert.Equal($"{path}:3: capacity '-2' of link 1 is not a finite non-negative number (Mbit/s)", problem);
    }

    [Fact]
    public void Validator_NamesTheFileAndLineOfAMissingField()
    {
        var path = Write("short-row.txt", [.. Rows(5, _ => "1 1 1"), "4 5", .. Rows(5, _ => "1 1 1")]);

        Assert.Equal($"{path}:6: expected 3 capacities, found 2 fields in '4 5'", LinkTraceReader.Validate(path));
        Assert.Null(LinkTraceReader.Validate(Write("good.txt", Rows(9, _ => "1 2 3"))));
    }

    [Fact]
    public void Reader_RejectsATraceShorterThanTheHistoryPlusOneStep()
    {
        var path = Write("tiny.txt", Rows(LinkConstants.History, _ => "1 2 3"));

        var error = Assert.Throws<InvalidDataException>(() => LinkTraceReader.LoadFile(path));

        Assert.Contains($"{LinkConstants.History} steps; a trace needs at least {LinkConstants.History + 1}", error.Message);
    }

    [Fact]
    public void Folder_ReadsTheTraceFilesInNameOrder()
    {
        Write("b.txt", Rows(12, _ => "1 2 3"));
        Write("a.txt", Rows(9, _ => "3 2 1"));
        Write("notes.md", "not a trace");

        var traces = LinkTraceReader.LoadFolder(_dir);

        Assert.Equal(["a.txt", "b.txt"], traces.Select(t => t.Name));
        Assert.Throws<DirectoryNotFoundException>(() => LinkTraceReader.LoadFolder(Path.Combine(_dir, "missing")));
    }

    [Fact]
    public void Generator_IsDeterministicAndNonNegative()
    {
        var a = LinkTraceGenerator.Generate(3, 50, seed: 4);
        var b = LinkTraceGenerator.Generate(3, 50, seed: 4);
        var c = LinkTraceGenerator.Generate(3, 50, seed: 5);

        Assert.Equal(3, a.Count);
        Assert.All(a, t => Assert.Equal(50, t.Steps));
        Assert.Equal(a[2].Capacity(49, 1), b[2].Capacity(49, 1));
        Assert.NotEqual(a[0].Capacity(10, 0), c[0].Capacity(10, 0));
        Assert.All(a, t => Assert.All(Enumerable.Range(0, 50), s => Assert.InRange(t.Capacity(s, 2), 0f, 20f)));
    }

    [Fact]
    public void Writer_RoundTripsThroughTheReader()
    {
        var trace = LinkTraceGenerator.Generate(1, 20, seed: 2)[0];
        var path = Path.Combine(_dir, "generated.txt");

        LinkTraceReader.Write(trace, path);
        var back = LinkTraceReader.LoadFile(path);

        Assert.Equal(20, back.Steps);
        Assert.Equal(trace.Capacity(13, 1), back.Capacity(13, 1), 0.001f);
    }
}
