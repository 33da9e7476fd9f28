using NetLlm.Reporting.Results;

namespace NetLlm.Reporting.Tests;

public sealed class EvaluationResultsTests
{
    [Fact]
    public void Runs_AreOrderedByPolicySettingSeed_AndComponentsCollected()
    {
        var results = SampleResults.TwoByTwo(SampleResults.Qoe);

        Assert.Equal(8, results.Runs.Count);
        Assert.Equal(("a", "s1", 1), (results.Runs[0].Policy, results.Runs[0].Setting, results.Runs[0].Seed));
        Assert.Equal(("b", "s2", 2), (results.Runs[7].Policy, results.Runs[7].Setting, results.Runs[7].Seed));
        Assert.Equal(["bitrate", "rebuffer", "smoothness"], results.ComponentNames);
        Assert.Equal(7.0, results.Get("b", "s2", 2).Metric);
    }

    [Fact]
    public void MissingRun_IsNamed()
    {
        var runs = SampleResults.TwoByTwo(SampleResults.Qoe).Runs.Where(r => !(r.Policy == "b" && r.Seed == 2 && r.Setting == "s1")).ToList();

        var e = Assert.Throws<ArgumentException>(() => new EvaluationResults("toy", "Toy", SampleResults.Qoe, ["a", "b"], ["s1", "s2"], [1, 2], runs));
        Assert.Contains("b on s1 (seed 2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonFiniteNumbers_AreNamedWithTheRun()
    {
        var nan = SampleResults.Run("a", "s", 3, double.NaN);
        var e = Assert.Throws<ArgumentException>(() => new EvaluationResults("toy", "Toy", SampleResults.Qoe, ["a"], ["s"], [3], [nan]));
        Assert.Contains("toy a on s (seed 3)", e.Message, StringComparison.Ordinal);
        Assert.Contains("mean_qoe", e.Message, StringComparison.Ordinal);

        var badItem = SampleResults.Run("a", "s", 3, 1) with { Distribution = [1, double.PositiveInfinity] };
        var e2 = Assert.Throws<ArgumentException>(() => new EvaluationResults("toy", "Toy", SampleResults.Qoe, ["a"], ["s"], [3], [badItem]));
        Assert.Contains("distribution item 1", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicatesAndRunsOutsideTheGrid_AreRejected()
    {
        var run = SampleResults.Run("a", "s", 1, 1);
        Assert.Contains("duplicate run", Assert.Throws<ArgumentException>(() => new EvaluationResults("toy", "Toy", SampleResults.Qoe, ["a"], ["s"], [1], [run, run])).Message, StringComparison.Ordinal);
        Assert.Contains("outside the evaluation grid", Assert.Throws<ArgumentException>(() => new EvaluationResults("toy", "Toy", SampleResults.Qoe, ["a"], ["t"], [1], [run])).Message, StringComparison.Ordinal);
        Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() => new EvaluationResults("toy", "Toy", SampleResults.Qoe, ["a", "a"], ["s"], [1], [run])).Message, StringComparison.Ordinal);
        Assert.Contains("at least one", Assert.Throws<ArgumentException>(() => new EvaluationResults("toy", "Toy", SampleResults.Qoe, [], ["s"], [1], [run])).Message, StringComparison.Ordinal);
    }
}
