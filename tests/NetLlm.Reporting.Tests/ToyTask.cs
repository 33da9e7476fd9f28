using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Reporting.Tests;

/// <summary>
/// A task whose Test verb returns a metric computed from the policy, the setting (read from the arguments) and the
/// seed, so the runner's bookkeeping can be checked exactly.
/// </summary>
internal sealed class ToyTask : ITaskDefinition
{
    private int _calls;

    public string Id => "toy";

    public string Title => "Toy task";

    public TaskKind Kind => TaskKind.Decision;

    public MetricInfo Metric { get; } = new("score", string.Empty, true, "toy score");

    public IReadOnlyList<TaskSetting> Settings { get; } = [new("s1", "one", new Dictionary<string, string>()), new("s2", "two", new Dictionary<string, string>())];

    public IReadOnlyList<TaskOptionSpec> Options { get; } = [];

    public IReadOnlyList<string> Baselines { get; } = [];

    public IReadOnlyList<DataRequirement> DataRequirements { get; } = [];

    public IReadOnlyList<TaskVerb> Verbs { get; } = [TaskVerb.Test];

    public (string Policy, string Setting, int Seed)? FailOn { get; init; }

    public bool NoMetric { get; init; }

    public int Calls => _calls;

    public ConcurrentBag<int> ThreadCounts { get; } = [];

    public static double Expected(string policy, string setting, int seed) => (policy[0] * 100) + (setting[^1] * 10) + seed;

    public TaskReport Run(TaskRequest request)
    {
        Interlocked.Increment(ref _calls);
        request.Cancellation.ThrowIfCancellationRequested();
        ThreadCounts.Add(TorchSharp.torch.get_num_threads());
        var policy = Assert.Single(request.Policies);
        var setting = request.Arguments.RequiredText("setting");
        if (FailOn == (policy, setting, request.Seed))
        {
            throw new InvalidDataException("bad trace file x.txt line 3");
        }

        Thread.Sleep(5);
        var random = new Random(request.Seed);
        return new TaskReport
        {
            Json = new JsonObject { ["seed"] = request.Seed },
            Metric = NoMetric ? null : Expected(policy, setting, request.Seed),
            Distribution = [.. Enumerable.Range(0, 5).Select(_ => random.NextDouble())],
            Components = new Dictionary<string, double> { ["bias"] = 1.5 },
            Summary = [$"{policy} {setting} {request.Seed}"],
        };
    }
}
