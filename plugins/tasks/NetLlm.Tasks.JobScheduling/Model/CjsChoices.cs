namespace NetLlm.Tasks.JobScheduling.Model;

/// <summary>
/// The choices of NetLLM's CJS heads and which are valid in an observation: head 0 picks a stage among the first
/// <see cref="MaxStages"/> schedulable ones or <see cref="NoStage"/> (commit the remaining executors to the common
/// pool, which Fair does and the original model cannot express); head 1 picks the executor count index k (the
/// environment gets k + 1) below the chosen stage's job's commit cap.
/// </summary>
public static class CjsChoices
{
    /// <summary>Stage choices of the stage head besides "no stage" (the original's <c>max_stage_num</c>).</summary>
    public const int MaxStages = 100;

    /// <summary>Executor choices of the executor head (the original's <c>max_exec_num</c>).</summary>
    public const int MaxExecutors = 50;

    /// <summary>Stage-head index meaning "no stage": commit the remaining executors to the common pool.</summary>
    public const int NoStage = MaxStages;

    /// <summary>Outputs of the stage head (100 stages and "no stage").</summary>
    public const int StageOutputs = MaxStages + 1;

    /// <summary>Stage choices valid in <paramref name="state"/> besides "no stage": the first min(n, 100) schedulable stages.</summary>
    /// <param name="state">The state.</param>
    public static int Stages(CjsObservation state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Math.Min(state.SchedulableCount, MaxStages);
    }

    /// <summary>
    /// Executor choices valid after <paramref name="stage"/> was chosen in <paramref name="state"/>: the commit cap of
    /// the stage's job (at most 50), or 1 after "no stage".
    /// </summary>
    /// <param name="state">The state.</param>
    /// <param name="stage">Chosen stage component.</param>
    public static int Executors(CjsObservation state, int stage)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (stage == NoStage)
        {
            return 1;
        }

        CheckStage(state, stage);
        var cap = state.CommitCap(state.JobOfNode(state.SchedulableNodes[stage]));
        return Math.Clamp(cap, 1, MaxExecutors);
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="stage"/> is a valid stage choice other than "no stage".</summary>
    /// <param name="state">The state.</param>
    /// <param name="stage">Stage component.</param>
    public static void CheckStage(CjsObservation state, int stage)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (stage < 0 || stage >= Stages(state))
        {
            throw new ArgumentOutOfRangeException(nameof(stage), $"stage component {stage} is not a schedulable stage (0..{Stages(state) - 1}) or 'no stage' ({NoStage})");
        }
    }
}
