using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Policies;
using NetLlm.Baselines.RandomScheduling;
using NetLlm.Baselines.RoundRobin;
using NetLlm.Tasks.JobScheduling.Data;
using NetLlm.Tasks.JobScheduling.Simulation;
using NetLlm.Testing;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>Invariants of the simulator: completion, no double booking, dependencies, critical paths, determinism.</summary>
public sealed class SimulatorTests
{
    public static TheoryData<string> Schedulers => ["fifo", "fair", "random"];

    private static IPolicy<CjsObservation, CjsAction> Create(string name) => name switch
    {
        "fifo" => new RoundRobinScheduler(dynamicPartition: false),
        "fair" => new RoundRobinScheduler(dynamicPartition: true),
        _ => new RandomScheduler(7),
    };

    [DataTheory("cjs")]
    [MemberData(nameof(Schedulers))]
    public void Episode_CompletesEveryJob_WithoutDoubleBookingOrBrokenDependencies(string scheduler)
    {
        var options = CjsTestData.Small(jobs: 40, executors: 20);
        using var env = new SparkSchedulingEnvironment(CjsTestData.Catalog, options) { VerifyInvariants = true };
        var runs = new List<TaskRun>();
        env.TaskObserver = runs.Add;
        using var policy = Create(scheduler);

        var obs = env.Reset(5).Observation;
        var steps = 0;
        while (true)
        {
            var step = env.Step(policy.Act(obs));
            steps++;
            obs = step.Observation;
            if (step.Done)
            {
                Assert.True(step.Terminated);
                break;
            }
        }

        var jobs = env.JobOutcomes();
        Assert.Equal(40, jobs.Count);
        Assert.All(jobs, j => Assert.True(j.Completed, $"job {j.Id} did not complete"));
        Assert.Equal(steps, env.Steps);
        Assert.Equal(0, obs.JobCount);

        // Every task of every job ran exactly once.
        Assert.Equal(jobs.Sum(j => j.Tasks), runs.Count);
        foreach (var job in jobs)
        {
            Assert.Equal(job.Tasks, runs.Count(r => r.Job == job.Id));
        }

        // No executor runs two tasks at once.
        foreach (var perExecutor in runs.GroupBy(r => r.Executor))
        {
            var ordered = perExecutor.OrderBy(r => r.StartMs).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i].StartMs >= ordered[i - 1].EndMs, $"executor {perExecutor.Key} double-booked at {ordered[i].StartMs}");
            }
        }

        Assert.True(runs.Select(r => r.Executor).Distinct().Count() <= options.Executors);

        foreach (var job in jobs)
        {
            var query = CjsTestData.Catalog.Get(job.Query, job.Size);
            var tasks = runs.Where(r => r.Job == job.Id).ToList();

            // A stage starts only after all its parents finished; the job completes with its last task.
            for (var s = 0; s < query.StageCount; s++)
            {
                var start = tasks.Where(r => r.Stage == s).Min(r => r.StartMs);
                foreach (var p in query.Dag.Parents[s])
                {
                    Assert.True(start >= tasks.Where(r => r.Stage == p).Max(r => r.EndMs), $"job {job.Id} stage {s} started before parent {p} finished");
                }
            }

            Assert.Equal(tasks.Max(r => r.EndMs), job.CompletionMs);
            Assert.True(tasks.Min(r => r.StartMs) >= job.ArrivalMs + options.MovingDelayMs, "an executor reached the job without moving");

            // JCT is at least the moving delay plus the critical path with unlimited executors.
            Assert.True(job.CompletionMs - job.ArrivalMs >= options.MovingDelayMs + job.CriticalPathMs - 1e-6, $"job {job.Id} beat its critical path");
        }
    }

    [DataFact("cjs")]
    public void SameSeed_GivesTheSameEpisode_OtherSeedsDiffer()
    {
        var options = CjsTestData.Small(jobs: 30, executors: 15);
        var a = Trace(options, 11);
        var b = Trace(options, 11);
        var c = Trace(options, 12);

        Assert.Equal(a.Rewards, b.Rewards);
        Assert.Equal(a.Completions, b.Completions);
        Assert.Equal(a.Runs, b.Runs);
        Assert.NotEqual(a.Completions, c.Completions);
    }

    [DataFact("cjs")]
    public void ResetWithoutSeed_ContinuesTheRandomStream()
    {
        using var env = new SparkSchedulingEnvironment(CjsTestData.Catalog, CjsTestData.Small());
        env.Reset(3);
        var first = env.JobOutcomes().Select(j => (j.Query, j.Size, j.ArrivalMs)).ToList();
        env.Reset();
        var next = env.JobOutcomes().Select(j => (j.Query, j.Size, j.ArrivalMs)).ToList();
        env.Reset(3);
        var again = env.JobOutcomes().Select(j => (j.Query, j.Size, j.ArrivalMs)).ToList();

        Assert.NotEqual(first, next);
        Assert.Equal(first, again);
    }

    [DataFact("cjs")]
    public void Rewards_SumToMinusTheTotalTimeJobsSpentInTheSystem()
    {
        var options = CjsTestData.Small(jobs: 30, executors: 15);
        var trace = Trace(options, 21);

        var totalJobTime = trace.Completions.Zip(trace.Arrivals, (c, a) => c - a).Sum();
        Assert.Equal(-totalJobTime, trace.Rewards.Sum(), totalJobTime * 1e-9);
        Assert.All(trace.Rewards, r => Assert.True(r <= 0));
    }

    [DataFact("cjs")]
    public void Arrivals_ArePoissonWithTheConfiguredRate_OverRandomQueriesAndSizes()
    {
        using var env = new SparkSchedulingEnvironment(CjsTestData.Catalog, new SparkSimulatorOptions(Jobs: 4000));
        env.Reset(9);
        var jobs = env.JobOutcomes();

        Assert.Equal(0, jobs[0].ArrivalMs);
        var gaps = jobs.Zip(jobs.Skip(1), (x, y) => y.ArrivalMs - x.ArrivalMs).ToList();
        Assert.All(gaps, g => Assert.True(g >= 0));
        // Mean gap 1 / 4e-5 = 25,000 ms; the standard error over 3,999 gaps is 1.6 %.
        Assert.InRange(gaps.Average(), 25000 * 0.95, 25000 * 1.05);
        // Exponential gaps: the standard deviation equals the mean.
        var mean = gaps.Average();
        Assert.InRange(Math.Sqrt(gaps.Sum(g => (g - mean) * (g - mean)) / gaps.Count), mean * 0.9, mean * 1.1);
        Assert.Equal(TpchSizes.QueryCount, jobs.Select(j => j.Query).Distinct().Count());
        Assert.Equal(TpchSizes.All.Count, jobs.Select(j => j.Size).Distinct().Count());
        Assert.InRange(jobs.Count(j => j.Size == "100g"), 4000 / 7 * 0.85, 4000 / 7 * 1.15);
    }

    [DataFact("cjs")]
    public void FirstObservation_OffersTheFirstJobsSourceStagesFromTheCommonPool()
    {
        using var env = new SparkSchedulingEnvironment(CjsTestData.Catalog, CjsTestData.Small(jobs: 5, executors: 12));
        var obs = env.Reset(4).Observation;
        var first = env.JobOutcomes()[0];
        var query = CjsTestData.Catalog.Get(first.Query, first.Size);

        Assert.Equal(1, obs.JobCount);
        Assert.Equal(12, obs.CommittableExecutors);
        Assert.Equal(obs.JobCount, obs.SourceJobIndex);
        Assert.Equal(query.StageCount, obs.NodeCount);
        Assert.Equal(query.Dag.Edges.Count, obs.EdgeCount);
        var roots = Enumerable.Range(0, query.StageCount).Where(s => query.Dag.Parents[s].Count == 0).ToArray();
        Assert.Equal(roots, obs.SchedulableNodes.ToArray());
        Assert.All(roots, r => Assert.True(obs.IsFrontier(r)));

        // Node features of the NeuralObsWrapper: cap/N, source flag, supply/N, remaining/200, remaining x duration/1e5.
        var f = obs.NodeFeatures;
        Assert.Equal(1f, f[0]);
        Assert.Equal(-1f, f[1]);
        Assert.Equal(0f, f[2]);
        Assert.Equal(query.Stages[0].NumTasks / 200f, f[3]);
        Assert.Equal((float)(query.Stages[0].NumTasks * (float)query.Stages[0].RoughDurationMs / 1e5), f[4], 5);
    }

    [DataFact("cjs")]
    public void Observations_AreConsistentThroughoutAnEpisode()
    {
        using var env = new SparkSchedulingEnvironment(CjsTestData.Catalog, CjsTestData.Small(jobs: 25, executors: 10));
        using var policy = new RoundRobinScheduler(dynamicPartition: true);
        var obs = env.Reset(8).Observation;
        var count = 0;
        while (true)
        {
            // The validating constructor accepts every observation the environment builds.
            var copy = new CjsObservation(
                obs.NumExecutors, obs.CommittableExecutors, obs.SourceJobIndex, obs.JobPtr.ToArray(), obs.JobIds.ToArray(), obs.ExecSupplies.ToArray(),
                obs.StageIds.ToArray(), obs.RemainingTasks.ToArray(), obs.RecentDurationsMs.ToArray(), obs.SchedulableNodes.ToArray(),
                obs.EdgeFrom.ToArray(), obs.EdgeTo.ToArray(), obs.WallTimeMs);
            Assert.True(env.ObservationSpace.Contains(copy));
            Assert.True(obs.CommittableExecutors > 0);
            Assert.True(obs.SchedulableCount > 0);
            foreach (var node in obs.SchedulableNodes)
            {
                Assert.True(obs.RemainingTasks[node] > 0);
                Assert.True(obs.CommitCap(obs.JobOfNode(node)) >= 1);
            }

            count++;
            var step = env.Step(policy.Act(obs));
            obs = step.Observation;
            if (step.Done)
            {
                break;
            }
        }

        Assert.Equal(env.Steps, count);
        Assert.Throws<InvalidOperationException>(() => env.Step(new CjsAction(-1, 1)));
    }

    [DataFact("cjs")]
    public void AlwaysChoosingNoStage_TruncatesTheEpisodeOnceNothingCanHappen()
    {
        var options = CjsTestData.Small(jobs: 6, executors: 4);
        using var env = new SparkSchedulingEnvironment(CjsTestData.Catalog, options);
        var obs = env.Reset(2).Observation;
        StepResult<CjsObservation> step;
        do
        {
            step = env.Step(CjsAction.None(obs));
            obs = step.Observation;
        }
        while (!step.Done);

        Assert.True(step.Truncated);
        Assert.False(step.Terminated);
        Assert.Equal(0, env.CompletedJobs);
        // Every job arrived and waits: its duration so far is the wall time minus its arrival.
        var jobs = env.JobOutcomes();
        Assert.Equal(jobs.Select(j => env.WallTimeMs - j.ArrivalMs).OrderBy(x => x), env.JobTimesMs().Select(t => t.DurationMs).OrderBy(x => x));
        Assert.Equal(jobs[^1].ArrivalMs, env.WallTimeMs);
        Assert.Throws<InvalidOperationException>(() => env.Step(new CjsAction(-1, 1)));
    }

    private static (List<double> Rewards, List<double> Completions, List<double> Arrivals, List<TaskRun> Runs) Trace(SparkSimulatorOptions options, int seed)
    {
        using var env = new SparkSchedulingEnvironment(CjsTestData.Catalog, options);
        var runs = new List<TaskRun>();
        env.TaskObserver = runs.Add;
        using var policy = new RandomScheduler(seed);
        var rewards = new List<double>();
        var obs = env.Reset(seed).Observation;
        while (true)
        {
            var step = env.Step(policy.Act(obs));
            rewards.Add(step.Reward);
            obs = step.Observation;
            if (step.Done)
            {
                break;
            }
        }

        var jobs = env.JobOutcomes();
        return (rewards, jobs.Select(j => j.CompletionMs).ToList(), jobs.Select(j => j.ArrivalMs).ToList(), runs);
    }
}
