using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.JobScheduling.Simulation;

namespace NetLlm.Tasks.JobScheduling.Definition;

/// <summary>What one episode produced.</summary>
/// <param name="Seed">Environment seed.</param>
/// <param name="AverageJctSeconds">Average job completion time (the original's metric), seconds.</param>
/// <param name="JobDurationsSeconds">Per-job completion times, seconds.</param>
/// <param name="Jobs">Every job of the episode with its outcome.</param>
/// <param name="Steps">Decisions taken.</param>
/// <param name="Events">Simulation events processed.</param>
/// <param name="TotalReward">Sum of rewards (minus the total job time in ms).</param>
/// <param name="WallSeconds">Wall time of the whole episode (reset, policy and simulator).</param>
/// <param name="ResetSeconds">Wall time of the reset (job generation; loading their templates on first use).</param>
/// <param name="Truncated">The episode ended before every job completed (the scheduler left nothing running).</param>
public sealed record EpisodeResult(
    int Seed,
    double AverageJctSeconds,
    IReadOnlyList<double> JobDurationsSeconds,
    IReadOnlyList<JobOutcome> Jobs,
    int Steps,
    long Events,
    double TotalReward,
    double WallSeconds,
    double ResetSeconds,
    bool Truncated)
{
    /// <summary>Jobs that completed.</summary>
    public int JobsCompleted => Jobs.Count(j => j.Completed);
}

/// <summary>Runs a policy through whole episodes of the simulator.</summary>
public static class EpisodeRunner
{
    /// <summary>Runs one episode with environment seed <paramref name="seed"/>. The environment and policy are borrowed.</summary>
    /// <param name="environment">The simulator.</param>
    /// <param name="policy">The scheduler.</param>
    /// <param name="seed">Environment seed.</param>
    /// <param name="cancellation">Checked every 256 steps.</param>
    public static EpisodeResult Run(
        SparkSchedulingEnvironment environment,
        IPolicy<CjsObservation, CjsAction> policy,
        int seed,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(policy);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var observation = environment.Reset(seed).Observation;
        var reset = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
        policy.BeginEpisode();
        var total = 0.0;
        var truncated = false;
        while (true)
        {
            if ((environment.Steps & 255) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }

            var step = environment.Step(policy.Act(observation));
            policy.Observe(step.Reward, step.Done);
            total += step.Reward;
            observation = step.Observation;
            if (step.Done)
            {
                truncated = step.Truncated;
                break;
            }
        }

        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
        var durations = environment.JobDurationsMs().Select(d => d * 1e-3).ToList();
        return new EpisodeResult(
            seed,
            durations.Count == 0 ? 0 : durations.Average(),
            durations,
            environment.JobOutcomes(),
            environment.Steps,
            environment.Events,
            total,
            wall,
            reset,
            truncated);
    }
}
