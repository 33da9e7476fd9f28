using NetLlm.Abstractions.Tasks;
using Sample.NetLlmPredictionTask.Data;

namespace Sample.NetLlmPredictionTask.Tests;

/// <summary>Trace files (format and the validator's file and line), splits, windows and the metric with hand-computed numbers.</summary>
public sealed class DataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bw-traces-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Validator_NamesTheFileAndLine()
    {
        var good = Write("good.txt", "0 1.5", "1 2.5");
        var bad = Write("bad.txt", "0 1.5", "1 2.5", "1.5 -3");
        var garbled = Write("garbled.txt", "0 1.5", "one 2");

        Assert.Null(ThroughputTraceReader.Validate(good));
        Assert.Equal($"{bad}:3: throughput -3 Mbps is outside [0, 100000]", ThroughputTraceReader.Validate(bad));
        Assert.Equal($"{garbled}:2: expected '<time_s> <throughput_Mbps>', got 'one 2'", ThroughputTraceReader.Validate(garbled));
    }

    [Fact]
    public void Splits_TakeWholeTraces_ThreeTrainOneValidOneTest()
    {
        var traces = SyntheticThroughput.Generate(seed: 3, traces: 10, samples: 30);

        var train = ThroughputDataset.Samples(traces, ThroughputSplit.Train, stride: 4);
        var valid = ThroughputDataset.Samples(traces, ThroughputSplit.Valid, stride: 4);
        var test = ThroughputDataset.Samples(traces, ThroughputSplit.Test, stride: 4);

        // (30 - 10) / 4 + 1 = 6 windows per trace.
        Assert.Equal(6 * 6, train.Count);
        Assert.Equal(2 * 6, valid.Count);
        Assert.Equal(2 * 6, test.Count);
        Assert.Empty(train.Select(s => s.Name.Split('@')[0]).Intersect(test.Select(s => s.Name.Split('@')[0])));
    }

    [Fact]
    public void Window_HoldsTheHistoryAndTheValuesThatFollow()
    {
        var trace = new ThroughputTrace("ramp", Enumerable.Range(0, 12).Select(i => (double)i).ToList(), Enumerable.Range(0, 12).Select(i => (float)i).ToList());
        var traces = new[] { trace, trace, trace, trace, trace };

        var test = ThroughputDataset.Samples(traces, ThroughputSplit.Test, stride: 2);

        Assert.Equal(2, test.Count);
        Assert.Equal([2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f], test[1].History.Mbps);
        Assert.Equal([10f, 11f], test[1].Future);
        Assert.Equal("ramp@2", test[1].Name);
    }

    [Fact]
    public void Score_IsTheMeanAbsoluteError_WithPerStepComponents()
    {
        var samples = new[]
        {
            new ThroughputSample("a", new ThroughputHistory(new float[8]), [1f, 2f]),
            new ThroughputSample("b", new ThroughputHistory(new float[8]), [3f, 3f]),
        };
        var predictions = new[] { new ThroughputForecast([2f, 2f]), new ThroughputForecast([3f, 1f]) };

        var score = new ThroughputTask().Score(samples, predictions, new ScoringContext("test", "default", 1, null));

        Assert.Equal((1 + 0 + 0 + 2) / 4.0, score.Metric, 6);
        Assert.Equal(0.5, score.Components[ThroughputTask.FirstStep], 6);
        Assert.Equal(1.0, score.Components[ThroughputTask.LastStep], 6);
        Assert.Equal([0.5, 1.0], score.Items.Select(i => i.Value));
        Assert.Throws<ArgumentException>(() => new ThroughputTask().Score(samples, predictions.Take(1).ToList(), new ScoringContext("test", "default", 1, null)));
    }
}
