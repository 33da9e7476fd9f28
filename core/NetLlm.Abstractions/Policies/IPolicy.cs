namespace NetLlm.Abstractions.Policies;

/// <summary>
/// Every decision maker — a rule-based baseline, a neural baseline or an adapted LLM — behind one interface,
/// so that evaluation treats them alike. Policies may hold tensors internally (they own and dispose them);
/// observations passed in are borrowed, actions returned are plain values.
/// </summary>
/// <typeparam name="TObservation">Observation type of the task environment.</typeparam>
/// <typeparam name="TAction">Action type of the task environment.</typeparam>
public interface IPolicy<TObservation, TAction> : IDisposable
{
    /// <summary>Policy id, for example <c>abr.mpc</c>.</summary>
    string Id { get; }

    /// <summary>
    /// Called before the first observation of every episode: clears per-episode context (for example the
    /// decision context of a return-conditioned policy). Random streams are seeded once, when the policy is created.
    /// </summary>
    void BeginEpisode();

    /// <summary>Chooses an action for <paramref name="observation"/>.</summary>
    /// <param name="observation">Current observation (borrowed).</param>
    TAction Act(TObservation observation);

    /// <summary>
    /// Receives the reward of the last action, after the environment applied it. Return-conditioned policies
    /// lower their target return with it; most policies ignore it.
    /// </summary>
    /// <param name="reward">Reward of the last action.</param>
    /// <param name="done">The episode ended with this step.</param>
    void Observe(double reward, bool done)
    {
    }
}
