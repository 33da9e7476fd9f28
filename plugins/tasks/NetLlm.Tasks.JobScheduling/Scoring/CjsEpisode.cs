using NetLlm.Tasks.JobScheduling.Simulation;

namespace NetLlm.Tasks.JobScheduling.Scoring;

/// <summary>What one episode produced.</summary>
/// <param name="AverageJctSeconds">Average job completion time (the original's metric), seconds; 0 when no job arrived.</param>
/// <param name="JobTimes">Job id and completion time in seconds of every job that arrived, in the metric's order.</param>
/// <param name="Jobs">Every job of the episode with its outcome.</param>
/// <param name="Steps">Decisions taken.</param>
/// <param name="Events">Simulation events processed.</param>
/// <param name="TotalReward">Sum of rewards (minus the total job time in ms).</param>
/// <param name="WallSeconds">Wall time from the first decision to the end (policy and simulator, not the reset).</param>
/// <param name="Truncated">The episode ended before every job completed (the scheduler left nothing running).</param>
public sealed record CjsEpisode(
    double AverageJctSeconds,
    IReadOnlyList<(int Job, double Seconds)> JobTimes,
    IReadOnlyList<JobOutcome> Jobs,
    int Steps,
    long Events,
    double TotalReward,
    double WallSeconds,
    bool Truncated)
{
    /// <summary>Jobs that completed.</summary>
    public int JobsCompleted => Jobs.Count(j => j.Completed);

    /// <summary>The episode's figures, read from the environment at its end.</summary>
    /// <param name="environment">The simulator, after the last step.</param>
    /// <param name="totalReward">Sum of the episode's rewards.</param>
    /// <param name="wallSeconds">Wall time of the episode.</param>
    /// <param name="truncated">The last step was truncated.</param>
    public static CjsEpisode From(SparkSchedulingEnvironment environment, double totalReward, double wallSeconds, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var times = environment.JobTimesMs().Select(t => (t.Job, t.DurationMs * 1e-3)).ToList();

        // A list's average, as the original port computed it (the same summation, bit for bit).
        var seconds = times.Select(t => t.Item2).ToList();
        var average = seconds.Count == 0 ? 0 : seconds.Average();
        return new CjsEpisode(average, times, environment.JobOutcomes(), environment.Steps, environment.Events, totalReward, wallSeconds, truncated);
    }
}
