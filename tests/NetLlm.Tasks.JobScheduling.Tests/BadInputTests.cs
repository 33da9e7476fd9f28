using NetLlm.Core.IO;
using NetLlm.Core.Options;
using NetLlm.Tasks.JobScheduling.Data;
using NetLlm.Tasks.JobScheduling.Options;
using NetLlm.Tasks.JobScheduling.Simulation;
using NetLlm.Testing;
using static TorchSharp.torch;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>Bad data and bad options give clear errors that name the file (and where in it).</summary>
public sealed class BadInputTests : IDisposable
{
    private const string Waves = """{"first_wave": {"2": [10, 20]}, "rest_wave": {"2": [5]}, "fresh_durations": {"2": [20]}}""";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Query(string adjacency, string durations) =>
        _dir.File($"q{Guid.NewGuid():N}.json", $$"""{"query": 1, "size": "2g", "adj_mat": {{adjacency}}, "task_duration": {{durations}}}""");

    [Fact]
    public void ValidQuery_Loads()
    {
        var q = TpchJsonLoader.Load(Query("[[0, 1], [0, 0]]", $$"""{"0": {{Waves}}, "1": {{Waves}}}"""));

        Assert.Equal(2, q.StageCount);
        Assert.Equal(3, q.Stages[0].NumTasks);
        Assert.Equal([10.0], q.Stages[0].FirstWave.Get(2));
    }

    [Fact]
    public void Cycle_IsReportedWithTheFileAndTheStages()
    {
        var path = Query("[[0, 1, 0], [0, 0, 1], [1, 0, 0]]", $$"""{"0": {{Waves}}, "1": {{Waves}}, "2": {{Waves}}}""");

        var e = Assert.Throws<InvalidDataException>(() => TpchJsonLoader.Load(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
        Assert.Contains("0 -> 1 -> 2 -> 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SelfLoop_IsACycle()
    {
        var path = Query("[[1]]", $$"""{"0": {{Waves}}}""");

        var e = Assert.Throws<InvalidDataException>(() => TpchJsonLoader.Load(path));

        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonSquareAdjacency_IsReportedWithTheFile()
    {
        var path = Query("[[0, 1, 0], [0, 0]]", $$"""{"0": {{Waves}}, "1": {{Waves}}}""");

        var e = Assert.Throws<InvalidDataException>(() => TpchJsonLoader.Load(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("not square", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonSquareNpyAdjacency_IsReportedWithTheFile()
    {
        var path = Path.Combine(_dir.Path, "adj_mat_1.npy");
        using (var t = zeros(2, 3, dtype: ScalarType.Float64))
        {
            NpyFile.Write(path, t);
        }

        var e = Assert.Throws<InvalidDataException>(() => TpchNpy.ReadAdjacency(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("shape (2, 3)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingStageDurations_NameTheStage()
    {
        var path = Query("[[0, 1], [0, 0]]", $$"""{"0": {{Waves}}}""");

        var e = Assert.Throws<InvalidDataException>(() => TpchJsonLoader.Load(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("task durations missing for stage 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingWave_NamesTheStageAndTheTable()
    {
        var path = Query("[[0]]", """{"0": {"first_wave": {"2": [1]}, "fresh_durations": {"2": []}}}""");

        var e = Assert.Throws<InvalidDataException>(() => TpchJsonLoader.Load(path));

        Assert.Contains("task_duration.0", e.Message, StringComparison.Ordinal);
        Assert.Contains("'rest_wave'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeDuration_NamesItsPosition()
    {
        var path = Query("[[0]]", """{"0": {"first_wave": {"2": [1, -4]}, "rest_wave": {"2": []}, "fresh_durations": {"2": []}}}""");

        var e = Assert.Throws<InvalidDataException>(() => TpchJsonLoader.Load(path));

        Assert.Contains("task_duration.0.first_wave.2[1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenJson_NamesTheLine()
    {
        var path = _dir.File("broken.json", "{\n\"query\": 1,\n\"size\": ]\n}");

        var e = Assert.Throws<InvalidDataException>(() => TpchJsonLoader.Load(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingCatalogFolder_PointsToTheJsonCopies()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "cjs", "tpch"));

        var e = Assert.Throws<DirectoryNotFoundException>(() => TpchCatalog.OpenDataRoot(_dir.Path));

        Assert.Contains("tpch_json", e.Message, StringComparison.Ordinal);
        Assert.Contains("pickled", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("executors", "0", "option --executors: 0 is out of range")]
    [InlineData("arrival-rate", "-4e-5", "option --arrival-rate: -4E-05 is out of range")]
    [InlineData("jobs", "0", "option --jobs: 0 is out of range")]
    [InlineData("moving-delay", "-1", "option --moving-delay: -1 is out of range")]
    [InlineData("jobs", "many", "option --jobs: 'many' is not an integer")]
    public void BadOptions_NameTheOption(string option, string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => OptionSchema.Of<CjsOptions>().Apply(new CjsOptions(), [new OptionInput(option, value, "option --" + option)]));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 4e-5, -0.5, "executors must be at least 1")]
    [InlineData(50, double.NaN, 0, "arrival-rate must be a positive number")]
    [InlineData(50, 4e-5, -0.5, "moving-delay must be a non-negative")]
    public void OptionsRecordsBuiltInCode_AreCheckedByTheTask(int executors, double arrivalRate, double movingDelay, string message)
    {
        var options = new CjsOptions { Executors = executors, ArrivalRate = arrivalRate, MovingDelay = movingDelay };

        var e = Assert.Throws<ArgumentException>(() => CjsTask.Simulator(options));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroExecutors_AreRejectedByTheEnvironment()
    {
        var e = Assert.Throws<ArgumentException>(() => new SparkSchedulingEnvironment(CjsTestData.Catalog, new SparkSimulatorOptions(Executors: 0)));

        Assert.Contains("executors", e.Message, StringComparison.Ordinal);
    }

    [DataFact("cjs")]
    public void InvalidActions_AreRejectedWithTheValidRanges()
    {
        using var env = new SparkSchedulingEnvironment(CjsTestData.Catalog, CjsTestData.Small());
        var obs = env.Reset(1).Observation;

        var tooManyExecutors = Assert.Throws<ArgumentException>(() => env.Step(new CjsAction(0, obs.CommittableExecutors + 1)));
        var noSuchStage = Assert.Throws<ArgumentException>(() => env.Step(new CjsAction(obs.SchedulableCount, 1)));
        var zero = Assert.Throws<ArgumentException>(() => env.Step(new CjsAction(0, 0)));

        Assert.Contains($"executors 1..{obs.CommittableExecutors}", tooManyExecutors.Message, StringComparison.Ordinal);
        Assert.Contains($"-1..{obs.SchedulableCount - 1}", noSuchStage.Message, StringComparison.Ordinal);
        Assert.Contains("invalid CJS action", zero.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InconsistentObservation_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new CjsObservation(
            10, 5, 1, [0, 2], [0], [0], [0, 1], [3, 3], [1f, 1f], [0], [0], [5], 0));

        Assert.Contains("edge 0 (0 -> 5) out of range", e.Message, StringComparison.Ordinal);
    }
}
