using NetLlm.Abstractions.Tasks;
using NetLlm.Hosting.Data;

namespace NetLlm.Hosting.Tests;

public sealed class DataCheckTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("netllm-data-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string? Numeric(string file) => int.TryParse(File.ReadAllText(file), out _) ? null : $"{file}: not a number";

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public void ReportsMissingIncompleteInvalidAndOk()
    {
        Write("few/a.txt", "1");
        Write("bad/a.txt", "x");
        Write("good/a.txt", "1");
        Write("good/b.txt", "2");
        IReadOnlyList<DataRequirement> requirements =
        [
            new DataRequirement("absent", "*.txt", 1, true, "get it from X"),
            new DataRequirement("few", "*.txt", 2, true, "get more from Y"),
            new DataRequirement("bad", "*.txt", 1, true, "Z", Numeric),
            new DataRequirement("good", "*.txt", 2, true, "W", Numeric),
            new DataRequirement("optional.bin", null, 1, false, "optional weights"),
        ];

        var items = DataCheck.Run(_root, [("fake", requirements)]);

        Assert.Equal(["missing", "incomplete", "invalid", "ok", "missing"], items.Select(i => i.Status));
        Assert.Equal("get it from X", items[0].Detail);
        Assert.Equal(1, items[1].Found);
        Assert.Contains("not a number", items[2].Detail);
        Assert.Equal(2, items[3].Found);
        Assert.False(items[4].Required);
    }

    [Fact]
    public void EveryFileIsChecked_InSubFolders_AndAgainstItsChecksum()
    {
        for (var i = 0; i < 10; i++)
        {
            Write($"deep/v{i % 3}/f{i}.txt", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var good = new DataRequirement("deep", "*.txt", 10, true, "S", Numeric) { Recursive = true };
        Assert.Equal("ok", DataCheck.Run(_root, [("t", [good])])[0].Status);

        Write("deep/v2/f8.txt", "eight");
        var invalid = DataCheck.Run(_root, [("t", [good])])[0];
        Assert.Equal(("invalid", 1), (invalid.Status, invalid.Bad));
        Assert.Contains("f8.txt", invalid.Detail);
        Write("deep/v2/f8.txt", "8");

        var file = Path.Combine(_root, "deep/v1/f7.txt");
        var listed = good with { Files = [new DataFile("deep/v1/f7.txt", 1, DataCheck.Sha256Of(file), null)] };
        Assert.Equal("ok", DataCheck.Run(_root, [("t", [listed])])[0].Status);
        Write("deep/v1/f7.txt", "9");
        var corrupt = DataCheck.Run(_root, [("t", [listed])])[0];
        Assert.Equal("corrupt", corrupt.Status);
        Assert.Contains("SHA-256", corrupt.Detail);

        File.Delete(file);
        var incomplete = DataCheck.Run(_root, [("t", [listed with { MinimumCount = 1 }])])[0];
        Assert.Equal("incomplete", incomplete.Status);
        Assert.Contains("listed file(s) missing", incomplete.Detail);
    }
}
