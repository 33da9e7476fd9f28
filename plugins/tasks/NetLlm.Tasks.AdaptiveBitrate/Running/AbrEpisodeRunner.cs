using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.AdaptiveBitrate.Qoe;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Running;

/// <summary>
/// Runs a policy in the simulator the way the original's test loop does (<c>run_baseline.py</c>): every video starts
/// with chunk 0 at quality 0 (inside <see cref="AbrEnvironment.Reset"/>); the policy is asked after every chunk,
/// including the last one of the video, whose answer is discarded (this keeps RobustMPC's error history and a
/// sampling policy's random stream exactly as in the original).
/// </summary>
public static class AbrEpisodeRunner
{
    /// <summary>Runs <paramref name="episodes"/> episodes.</summary>
    /// <param name="environment">The simulator (its trace cycle continues from where it is).</param>
    /// <param name="policy">The policy (borrowed; not disposed).</param>
    /// <param name="episodes">Number of episodes (videos).</param>
    /// <param name="recordChunks">Keep every chunk outcome (needed for result files); off for benchmarks.</param>
    /// <param name="progress">Optional progress, advanced once per episode.</param>
    /// <param name="cancellation">Cancellation, checked between episodes.</param>
    public static AbrRunResult Run(
        AbrEnvironment environment,
        IPolicy<AbrObservation, int> policy,
        int episodes,
        bool recordChunks = true,
        IProgressTask? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(policy);
        if (episodes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "at least one episode is needed");
        }

        var traces = new List<AbrTraceResult>(episodes);
        var total = default(QoeAccumulator);
        long calls = 0;
        for (var episode = 0; episode < episodes; episode++)
        {
            cancellation.ThrowIfCancellationRequested();
            var chunks = recordChunks ? new List<AbrChunkOutcome>(AbrConstants.TotalChunks) : null;
            var qoe = default(QoeAccumulator);
            policy.BeginEpisode();
            var observation = environment.Reset().Observation;
            var name = environment.CurrentTrace.QualifiedName;
            var position = environment.CurrentPosition;
            var first = true;
            while (true)
            {
                var outcome = observation.LastChunk;
                qoe.Add(outcome, first);
                chunks?.Add(outcome);
                first = false;

                var action = policy.Act(observation);
                calls++;
                if (observation.EndOfVideo)
                {
                    break;
                }

                var step = environment.Step(action);
                policy.Observe(step.Reward, step.Done);
                observation = step.Observation;
            }

            total.Add(qoe);
            traces.Add(new AbrTraceResult(name, position, qoe, (IReadOnlyList<AbrChunkOutcome>?)chunks ?? []));
            progress?.Advance(1);
        }

        return new AbrRunResult(policy.Id, traces, total, calls);
    }
}
