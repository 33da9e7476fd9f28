using NetLlm.Abstractions.Environments;

namespace NetLlm.Testing.Conformance;

/// <summary>
/// Checks every environment must pass (Gymnasium's <c>check_env</c> for our contract): the same seed gives the same
/// episode, observations lie in the declared observation space, and actions drawn from the action space are accepted.
/// </summary>
public static class EnvironmentChecks
{
    /// <summary>
    /// Two environments reset with the same seed and driven with the same actions produce equal observations,
    /// rewards and episode ends for <paramref name="steps"/> steps (or until the episode ends); a different seed is
    /// allowed to differ.
    /// </summary>
    /// <typeparam name="TObs">Observation type.</typeparam>
    /// <typeparam name="TAct">Action type.</typeparam>
    /// <param name="create">Creates a fresh environment.</param>
    /// <param name="act">Chooses the action for an observation (deterministically).</param>
    /// <param name="same">Observation equality.</param>
    /// <param name="seed">Seed.</param>
    /// <param name="steps">Steps to compare.</param>
    public static void ResetSeedDeterminism<TObs, TAct>(Func<IEnvironment<TObs, TAct>> create, Func<TObs, TAct> act, Func<TObs, TObs, bool> same, int seed = 1, int steps = 50)
    {
        using var a = create();
        using var b = create();
        var oa = a.Reset(seed).Observation;
        var ob = b.Reset(seed).Observation;
        if (!same(oa, ob))
        {
            throw new ConformanceException(nameof(ResetSeedDeterminism), $"{a.Id}: two resets with seed {seed} gave different first observations");
        }

        for (var i = 0; i < steps; i++)
        {
            var action = act(oa);
            var sa = a.Step(action);
            var sb = b.Step(action);
            if (sa.Reward != sb.Reward || sa.Terminated != sb.Terminated || sa.Truncated != sb.Truncated || !same(sa.Observation, sb.Observation))
            {
                throw new ConformanceException(nameof(ResetSeedDeterminism), $"{a.Id}: step {i} after reset({seed}) differs between two environments (reward {sa.Reward} vs {sb.Reward})");
            }

            if (sa.Done)
            {
                return;
            }

            oa = sa.Observation;
        }
    }

    /// <summary>
    /// Two environments reset with the same seed and driven with the same actions (sampled from the first one's action
    /// space with a seeded generator) give equal observations, rewards and episode ends for <paramref name="steps"/>
    /// steps or until the episode ends. The environments are borrowed.
    /// </summary>
    /// <typeparam name="TObs">Observation type.</typeparam>
    /// <typeparam name="TAct">Action type.</typeparam>
    /// <param name="a">One environment.</param>
    /// <param name="b">A second environment created the same way.</param>
    /// <param name="same">Observation equality.</param>
    /// <param name="seed">Reset seed (the action sampler uses it too).</param>
    /// <param name="steps">Steps to compare.</param>
    public static void SameEpisodes<TObs, TAct>(IEnvironment<TObs, TAct> a, IEnvironment<TObs, TAct> b, Func<TObs, TObs, bool> same, int seed = 1, int steps = 50)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var random = new Random(seed);
        if (!same(a.Reset(seed).Observation, b.Reset(seed).Observation))
        {
            throw new ConformanceException(nameof(SameEpisodes), $"{a.Id}: two resets with seed {seed} gave different first observations");
        }

        for (var i = 0; i < steps; i++)
        {
            var action = a.ActionSpace.Sample(random);
            var sa = a.Step(action);
            var sb = b.Step(action);
            if (sa.Reward != sb.Reward || sa.Terminated != sb.Terminated || sa.Truncated != sb.Truncated || !same(sa.Observation, sb.Observation))
            {
                throw new ConformanceException(nameof(SameEpisodes), $"{a.Id}: step {i} after reset({seed}) differs between two environments (reward {sa.Reward} vs {sb.Reward})");
            }

            if (sa.Done)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Every observation of an episode driven by actions sampled from the action space lies in the observation
    /// space, and rewards are finite. Returns the number of steps taken.
    /// </summary>
    /// <typeparam name="TObs">Observation type.</typeparam>
    /// <typeparam name="TAct">Action type.</typeparam>
    /// <param name="environment">The environment.</param>
    /// <param name="seed">Seed of the reset and of the action sampling.</param>
    /// <param name="maxSteps">Step limit.</param>
    public static int SpacesHonoured<TObs, TAct>(IEnvironment<TObs, TAct> environment, int seed = 1, int maxSteps = 10_000)
    {
        var random = new Random(seed);
        var observation = environment.Reset(seed).Observation;
        if (!environment.ObservationSpace.Contains(observation))
        {
            throw new ConformanceException(nameof(SpacesHonoured), $"{environment.Id}: the first observation is not in {environment.ObservationSpace.Describe()}");
        }

        for (var i = 0; i < maxSteps; i++)
        {
            var action = environment.ActionSpace.Sample(random);
            if (!environment.ActionSpace.Contains(action))
            {
                throw new ConformanceException(nameof(SpacesHonoured), $"{environment.Id}: the action space sampled an action it does not contain");
            }

            var step = environment.Step(action);
            if (!double.IsFinite(step.Reward))
            {
                throw new ConformanceException(nameof(SpacesHonoured), $"{environment.Id}: step {i} returned reward {step.Reward}");
            }

            if (!environment.ObservationSpace.Contains(step.Observation))
            {
                throw new ConformanceException(nameof(SpacesHonoured), $"{environment.Id}: the observation after step {i} is not in {environment.ObservationSpace.Describe()}");
            }

            if (step.Done)
            {
                return i + 1;
            }
        }

        return maxSteps;
    }
}
