namespace NetLlm.Tasks.JobScheduling;

/// <summary>
/// A scheduling decision: which schedulable stage gets executors, and how many (the original's
/// <c>{'stage_idx', 'num_exec'}</c> at the environment level, so <see cref="NumExecutors"/> starts at 1).
/// </summary>
/// <param name="StageIndex">
/// Index among the observation's schedulable stages (<see cref="CjsObservation.SchedulableNodes"/>), or -1 to commit
/// the remaining executors of the source to the common pool and end the scheduling round.
/// </param>
/// <param name="NumExecutors">
/// Executors to commit, 1 to the observation's committable executors; the environment lowers it to the stage's
/// demand. Ignored (but still at least 1) when <paramref name="StageIndex"/> is -1.
/// </param>
public readonly record struct CjsAction(int StageIndex, int NumExecutors)
{
    /// <summary>The "no stage" action: commit the remaining executors to the common pool.</summary>
    /// <param name="observation">The current observation.</param>
    public static CjsAction None(CjsObservation observation) => new(-1, Math.Max(1, observation.CommittableExecutors));
}
