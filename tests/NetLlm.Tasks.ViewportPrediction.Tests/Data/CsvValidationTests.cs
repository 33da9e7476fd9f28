using System.Globalization;
using System.Text;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using NetLlm.Testing;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Data;

public sealed class CsvValidationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_ParsesRowsTimesAndAngles()
    {
        var path = _temp.File("ok.csv", "120.007286,-0.302157,2.481623,-135.856964\r\n120.215576,-1.051648,2.125674,-146.640747\n\n");
        var trace = ViewportCsvReader.Read(path);
        Assert.Equal(2, trace.Rows);
        Assert.Equal(120.215576f, trace.Times[1]);
        Assert.Equal(new[] { -0.302157f, 2.481623f, -135.856964f, -1.051648f, 2.125674f, -146.640747f }, trace.Angles);
        Assert.Equal(0, trace.ToleratedTimeReversals);
    }

    [Fact]
    public void MissingColumn_NamesFileLineAndColumn()
    {
        var path = _temp.File("missing.csv", "0.0,1,2,3\n0.2,1,2\n");
        var e = Assert.Throws<InvalidDataException>(() => ViewportCsvReader.Read(path));
        Assert.Contains($"{path}:2", e.Message);
        Assert.Contains("found 3", e.Message);
        Assert.Contains("missing yaw", e.Message);
    }

    [Fact]
    public void ExtraColumn_IsRejected()
    {
        var path = _temp.File("extra.csv", "0.0,1,2,3,4\n");
        var e = Assert.Throws<InvalidDataException>(() => ViewportCsvReader.Read(path));
        Assert.Contains($"{path}:1", e.Message);
        Assert.Contains("found more", e.Message);
    }

    [Fact]
    public void NonNumericValue_NamesTheValueAndColumn()
    {
        var path = _temp.File("text.csv", "0.0,1,2,3\n0.2,1,abc,3\n");
        var e = Assert.Throws<InvalidDataException>(() => ViewportCsvReader.Read(path));
        Assert.Contains($"{path}:2", e.Message);
        Assert.Contains("column 3 (pitch)", e.Message);
        Assert.Contains("'abc'", e.Message);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("Infinity")]
    public void NonFiniteValue_IsRejected(string value)
    {
        var path = _temp.File("nan.csv", $"0.0,1,2,3\n0.2,{value},2,3\n");
        var e = Assert.Throws<InvalidDataException>(() => ViewportCsvReader.Read(path));
        Assert.Contains($"{path}:2", e.Message);
        Assert.Contains("column 2 (roll)", e.Message);
    }

    /// <summary>An angle of 1e30 used to give an MAE of 0 (issue 15): out-of-range angles are refused naming the line.</summary>
    [Theory]
    [InlineData("0.2,1e30,2,3", "column 2 (roll): 1e30")]
    [InlineData("0.2,1,-360.5,3", "column 3 (pitch): -360.5")]
    [InlineData("0.2,1,2,720", "column 4 (yaw): 720")]
    public void AngleOutsideOneTurn_IsRejected(string line, string expected)
    {
        var path = _temp.File("huge.csv", $"0.0,1,2,3\n{line}\n");
        var e = Assert.Throws<InvalidDataException>(() => ViewportCsvReader.Read(path));
        Assert.StartsWith($"{path}:2: {expected} is not an angle in degrees within ±360", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, ViewportCsvReader.Read(_temp.File("edge.csv", "0.0,-360,360,359.9\n")).Angles.Length);
    }

    [Fact]
    public void TimeGoingBackBeyondTolerance_IsNonMonotonic()
    {
        var path = _temp.File("rewind.csv", "10.0,1,2,3\n10.2,1,2,3\n8.0,1,2,3\n");
        var e = Assert.Throws<InvalidDataException>(() => ViewportCsvReader.Read(path));
        Assert.Contains($"{path}:3", e.Message);
        Assert.Contains("non-monotonic time", e.Message);
    }

    [Fact]
    public void SmallTimeJitter_IsToleratedAndCounted_UnlessStrict()
    {
        var path = _temp.File("jitter.csv", "10.0,1,2,3\n10.5,1,2,3\n10.3,1,2,3\n10.7,1,2,3\n");
        Assert.Equal(1, ViewportCsvReader.Read(path).ToleratedTimeReversals);
        var e = Assert.Throws<InvalidDataException>(() => ViewportCsvReader.Read(path, timeTolerance: 0));
        Assert.Contains($"{path}:3", e.Message);
    }

    [Fact]
    public void EmptyFile_IsRejected()
    {
        var path = _temp.File("empty.csv", "\n");
        var e = Assert.Throws<InvalidDataException>(() => ViewportCsvReader.Read(path));
        Assert.Contains("no rows", e.Message);
    }

    [Fact]
    public void MissingFile_NamesThePath()
    {
        var path = Path.Combine(_temp.Path, "nope.csv");
        var e = Assert.Throws<InvalidDataException>(() => ViewportCsvReader.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void TraceShorterThanHistoryPlusFuture_NamesTheFile()
    {
        var root = WriteDataset(rows: 25);
        var request = new ViewportDataRequest { ViewportsFolder = root, Videos = [1], Viewers = [1] };
        var e = Assert.Throws<InvalidDataException>(() => ViewportDataset.Load(null, request));
        Assert.Contains(Path.Combine(root, "Jin2022", "video1", "5Hz", "simple_5Hz_user1.csv"), e.Message);
        Assert.Contains("25 rows, fewer than history + future = 10 + 20", e.Message);
    }

    [Fact]
    public void UnknownVideoOrViewer_InASplit_IsNamed()
    {
        var root = WriteDataset(rows: 200);
        var video = Assert.Throws<ArgumentException>(() => ViewportDataset.Load(null, new ViewportDataRequest { ViewportsFolder = root, Videos = [99], Viewers = [1] }));
        Assert.Contains("unknown video 99 of Jin2022", video.Message);
        Assert.Contains("simple_5Hz_user1.csv", video.Message);
        var viewer = Assert.Throws<ArgumentException>(() => ViewportDataset.Load(null, new ViewportDataRequest { ViewportsFolder = root, Videos = [1], Viewers = [85] }));
        Assert.Contains("unknown viewer 85 of Jin2022", viewer.Message);
        var missing = Assert.Throws<InvalidDataException>(() => ViewportDataset.Load(null, new ViewportDataRequest { ViewportsFolder = root, Videos = [1], Viewers = [2] }));
        Assert.Contains(Path.Combine(root, "Jin2022", "video1", "5Hz", "simple_5Hz_user2.csv"), missing.Message);
    }

    [Fact]
    public void BadFileInASplit_SurfacesItsOwnError()
    {
        var root = WriteDataset(rows: 200);
        var bad = Path.Combine(root, "Jin2022", "video1", "5Hz", "simple_5Hz_user1.csv");
        File.AppendAllText(bad, "41.0,1,2\n");
        var e = Assert.Throws<InvalidDataException>(() => ViewportDataset.Load(null, new ViewportDataRequest { ViewportsFolder = root, Videos = [1], Viewers = [1] }));
        Assert.Contains($"{bad}:201", e.Message);
    }

    [Fact]
    public void SyntheticTrace_GivesTheExpectedStarts()
    {
        var root = WriteDataset(rows: 200);
        var data = ViewportDataset.Load(null, new ViewportDataRequest { ViewportsFolder = root, Videos = [1], Viewers = [1] });
        Assert.Equal(new[] { 30, 45, 60, 75, 90, 105, 120, 135 }, data.Samples.Select(s => s.Timestep));
        var s0 = data.Samples[0];
        Assert.Equal(20f, s0.History[0]);
        Assert.Equal(29f, s0.History[^3]);
        Assert.Equal(30f, s0.Future[0]);
        Assert.Equal(49f, s0.Future[^3]);
    }

    [Fact]
    public void Windows_AreValidated()
    {
        Assert.Contains("--trim-head", Assert.Throws<ArgumentException>(() => new ViewportWindow(History: 40).Validate()).Message);
        Assert.Contains("--trim-tail", Assert.Throws<ArgumentException>(() => new ViewportWindow(Future: 61).Validate()).Message);
        Assert.Contains("--history", Assert.Throws<ArgumentException>(() => new ViewportWindow(History: 1).Validate()).Message);
        Assert.Contains("--step", Assert.Throws<ArgumentException>(() => new ViewportWindow(Step: 0).Validate()).Message);
    }

    /// <summary>Writes Jin2022/video1/5Hz/simple_5Hz_user1.csv with roll = row index.</summary>
    private string WriteDataset(int rows)
    {
        var text = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i * 0.2:F6},{i}.000000,{i % 7}.000000,{-i}.000000\n");
        }

        _temp.File(Path.Combine("viewports", "Jin2022", "video1", "5Hz", "simple_5Hz_user1.csv"), text.ToString());
        return Path.Combine(_temp.Path, "viewports");
    }
}
