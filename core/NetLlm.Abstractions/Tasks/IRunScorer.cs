using NetLlm.Abstractions.Environments;

namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// Computes a decision task's metric over the episodes of one run, as the engine's episode runner feeds it. Created
/// per run by <see cref="IDecisionTask{TObservation, TAction, TOptions, TModelOptions}.CreateScorer"/>.
/// </summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
/// <typeparam name="TAction">Action type.</typeparam>
public interface IRunScorer<TObservation, TAction>
{
    /// <summary>An episode started with <paramref name="first"/> (after <c>Reset</c>).</summary>
    /// <param name="first">First observation.</param>
    /// <param name="environment">The environment (the task's own type, for facts it keeps).</param>
    void BeginEpisode(TObservation first, IEnvironment<TObservation, TAction> environment);

    /// <summary>One step: <paramref name="action"/> was taken in <paramref name="observation"/> and gave <paramref name="step"/>.</summary>
    /// <param name="observation">Observation the action was taken in.</param>
    /// <param name="action">The action.</param>
    /// <param name="step">What the environment returned.</param>
    void Step(in TObservation observation, TAction action, in StepResult<TObservation> step);

    /// <summary>The episode ended (terminated or truncated).</summary>
    /// <param name="environment">The environment.</param>
    void EndEpisode(IEnvironment<TObservation, TAction> environment);

    /// <summary>The run's score, after the last episode.</summary>
    RunScore Complete();
}
