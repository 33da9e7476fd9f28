using System.Collections.Concurrent;
using NetLlm.Abstractions.Tasks;
using NetLlm.Reporting.Evaluation;
using NetLlm.Reporting.Results;

namespace NetLlm.Reporting.Tests;

/// <summary>
/// A case runner whose metric is computed from the policy, the setting and the seed, so the evaluation runner's
/// bookkeeping (order, parallelism, failures, threads) can be checked exactly.
/// </summary>
internal sealed class ToyTask
{
    private int _calls;

    public TaskInfo Info { get; } = new() { Id = "toy", Title = "Toy task", Kind = TaskKind.Decision, Metric = new MetricInfo("score", string.Empty, true, "toy score") };

    public (string Policy, string Setting, int Seed)? FailOn { get; init; }

    public int Calls => _calls;

    public ConcurrentBag<int> ThreadCounts { get; } = [];

    public static double Expected(string policy, string setting, int seed) => (policy[0] * 100) + (setting[^1] * 10) + seed;

    public EvaluationRun Run(EvaluationCase c, CancellationToken cancellation)
    {
        Interlocked.Increment(ref _calls);
        cancellation.ThrowIfCancellationRequested();
        ThreadCounts.Add(TorchSharp.torch.get_num_threads());
        if (FailOn == (c.Policy, c.Setting, c.Seed))
        {
            throw new InvalidDataException("bad trace file x.txt line 3");
        }

        Thread.Sleep(5);
        var random = new Random(c.Seed);
        return new EvaluationRun(
            c.Policy,
            c.Setting,
            c.Seed,
            Expected(c.Policy, c.Setting, c.Seed),
            [.. Enumerable.Range(0, 5).Select(_ => random.NextDouble())],
            new Dictionary<string, double> { ["bias"] = 1.5 },
            [$"{c.Policy} {c.Setting} {c.Seed}"]);
    }
}
