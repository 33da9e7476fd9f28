using NetLlm.Abstractions.Tasks;
using NetLlm.Reporting.Evaluation;

namespace NetLlm.Reporting.Tests;

public sealed class RunnerTests
{
    [Fact]
    public void Parallel_GivesTheSameRunsAsSequential_InCaseOrder()
    {
        var task = new ToyTask();
        var cases = Cases(["p", "q", "r"], ["s1", "s2"], [1, 2, 3]);

        var sequential = EvaluationRunner.Run(task.Info, cases, task.Run, 1, NullProgressSink.Instance, CancellationToken.None);
        var parallel = EvaluationRunner.Run(task.Info, cases, task.Run, 4, NullProgressSink.Instance, CancellationToken.None);

        Assert.Equal(18, parallel.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            Assert.Equal((cases[i].Policy, cases[i].Setting, cases[i].Seed), (parallel[i].Policy, parallel[i].Setting, parallel[i].Seed));
            Assert.Equal(sequential[i].Metric, parallel[i].Metric);
            Assert.Equal(sequential[i].Distribution, parallel[i].Distribution);
            Assert.Equal(ToyTask.Expected(cases[i].Policy, cases[i].Setting, cases[i].Seed), parallel[i].Metric);
        }

        Assert.Equal(1.5, parallel[0].Components["bias"]);
        Assert.Equal(36, task.Calls);
    }

    [Fact]
    public void Failure_NamesThePolicySettingAndSeed_AndKeepsTheExceptionType()
    {
        var task = new ToyTask { FailOn = ("q", "s2", 2) };
        var cases = Cases(["p", "q"], ["s1", "s2"], [1, 2]);

        var e = Assert.Throws<InvalidDataException>(() => EvaluationRunner.Run(task.Info, cases, task.Run, 2, NullProgressSink.Instance, CancellationToken.None));
        Assert.Equal("toy q on s2 (seed 2): bad trace file x.txt line 3", e.Message);
    }

    [Fact]
    public void Cancellation_StopsTheEvaluation()
    {
        var task = new ToyTask();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => EvaluationRunner.Run(task.Info, Cases(["p"], ["s1"], [1, 2]), task.Run, 2, NullProgressSink.Instance, cancel.Token));
    }

    [Fact]
    public void ZeroParallelism_IsRejected()
    {
        var task = new ToyTask();
        Assert.Throws<ArgumentException>(() => EvaluationRunner.Run(task.Info, Cases(["p"], ["s1"], [1]), task.Run, 0, NullProgressSink.Instance, CancellationToken.None));
    }

    [Fact]
    public void Runner_RestoresTheTorchThreadCount()
    {
        var before = TorchSharp.torch.get_num_threads();
        var task = new ToyTask();

        EvaluationRunner.Run(task.Info, Cases(["p", "q"], ["s1"], [1, 2]), task.Run, 2, NullProgressSink.Instance, CancellationToken.None);

        Assert.Equal(before, TorchSharp.torch.get_num_threads());
        Assert.Equal([1], task.ThreadCounts.Distinct());
    }

    private static List<EvaluationCase> Cases(string[] policies, string[] settings, int[] seeds) =>
        [.. from s in settings from p in policies from seed in seeds select new EvaluationCase(p, s, seed)];
}
