namespace NetLlm.Abstractions.Serving;

/// <summary>One request read by <see cref="IServingEpisode{TObservation, TAction}.Read"/>.</summary>
/// <typeparam name="TObservation">The task's observation type.</typeparam>
/// <param name="Observation">What the policy decides on.</param>
/// <param name="Reward">
/// The reward of the transition that led to this observation, as the task's environment would report it from the
/// step before; null for an episode's first request (the environment's reset: nothing to tell the policy).
/// </param>
/// <param name="Done">This observation ends the episode (the policy is still asked, as on an environment's final observation).</param>
/// <param name="Step">The 0-based number of this request within the episode.</param>
public sealed record ServedStep<TObservation>(TObservation Observation, double? Reward, bool Done, int Step);
