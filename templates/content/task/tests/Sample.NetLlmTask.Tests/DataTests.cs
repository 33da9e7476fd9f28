using NetLlm.Abstractions.Tasks;
using Sample.NetLlmTask.Data;

namespace Sample.NetLlmTask.Tests;

public sealed class DataTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("throughput-data-").FullName;

    [Fact]
    public void Reader_ParsesThePensieveFormat()
    {
        var path = Write("trace_a", "0.0\t2.5\n1.01\t1.25\n\n2.011   0\n");

        var trace = ThroughputTraceReader.Read(path);

        Assert.Equal(3, trace.Count);
        Assert.Equal([2.5f, 1.25f, 0f], trace.Mbps);
        Assert.Equal(2.011, trace.Times[2], 12);
    }

    [Fact]
    public void Reader_RejectsATimeThatDoesNotIncrease_NamingFileAndLine()
    {
        var path = Write("trace_b", "0\t1\n1\t1\n1\t2\n");

        var error = Assert.Throws<InvalidDataException>(() => ThroughputTraceReader.Read(path));

        Assert.Contains(path + ":3:", error.Message);
    }

    [Theory]
    [InlineData("0\t-1\n", "outside")]
    [InlineData("0\tfast\n", "expected '<time_s> <throughput_Mbps>'")]
    [InlineData("\n\n", "no samples")]
    public void Reader_RejectsBadSamples(string content, string expected)
    {
        var path = Write("trace_c", content);

        var error = Assert.Throws<InvalidDataException>(() => ThroughputTraceReader.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ReadFolder_SkipsSideFilesAndHonoursTheLimit()
    {
        Write("b_trace", "0\t1\n1\t2\n");
        Write("a_trace", "0\t3\n1\t4\n");
        Write("ptrs.pkl", "binary");

        var traces = ThroughputTraceReader.ReadFolder(_folder, limit: 1);

        Assert.Equal("a_trace", Assert.Single(traces).Name);
    }

    [Fact]
    public void Synthetic_TheSameSeedGivesTheSameTraces()
    {
        var a = SyntheticThroughput.Generate(7, 2, 50);
        var b = SyntheticThroughput.Generate(7, 2, 50);
        var c = SyntheticThroughput.Generate(8, 2, 50);

        Assert.Equal(2, a.Count);
        Assert.Equal(a[1].Mbps, b[1].Mbps);
        Assert.NotEqual(a[0].Mbps, c[0].Mbps);
        Assert.All(a.SelectMany(t => t.Mbps), v => Assert.InRange(v, 0.01f, 20f));
    }

    [Fact]
    public void Windows_AreCutWithTheStride()
    {
        var trace = new ThroughputTrace("ramp", Enumerable.Range(0, 20).Select(i => (double)i).ToList(), Enumerable.Range(0, 20).Select(i => (float)i).ToList());
        var dataset = new ThroughputDataset(ThroughputSplit.Train, "memory", [trace]);

        var windows = dataset.Windows(history: 5, horizon: 2, stride: 3);

        Assert.Equal(5, windows.Count);
        Assert.Equal([3f, 4f, 5f, 6f, 7f], windows[1].History);
        Assert.Equal([8f, 9f], windows[1].Future);
    }

    [Fact]
    public void Windows_FailWhenNoTraceIsLongEnough()
    {
        var trace = new ThroughputTrace("short", [0, 1, 2], [1f, 1f, 1f]);
        var dataset = new ThroughputDataset(ThroughputSplit.Test, "memory", [trace]);

        var error = Assert.Throws<InvalidDataException>(() => dataset.Windows(history: 10, horizon: 1, stride: 1));

        Assert.Contains("no trace has 11 samples", error.Message);
    }

    [Fact]
    public void Options_RejectABadHistory_NamingTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => ThroughputOptions.Parse(new TaskArguments(new Dictionary<string, string> { ["history"] = "1" })));

        Assert.Contains("--history", error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }
}
