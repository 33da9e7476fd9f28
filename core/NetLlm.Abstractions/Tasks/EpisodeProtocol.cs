namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// How the engine runs a decision task's episodes. The environment is seeded at its first <c>Reset</c> and continues
/// its random stream afterwards (Gymnasium's convention); a run of N episodes therefore depends on the run's seed only.
/// </summary>
public sealed record EpisodeProtocol
{
    /// <summary>
    /// When testing, ask the policy once more on the final observation of every episode and discard the answer (the
    /// original ABR test loop does this; it advances stateful baselines such as RobustMPC's error history and sampling
    /// policies' random streams). Experience collection never does.
    /// </summary>
    public bool AskOnFinalObservation { get; init; }

    /// <summary>The plain protocol: no call on the final observation.</summary>
    public static EpisodeProtocol Default { get; } = new();
}
