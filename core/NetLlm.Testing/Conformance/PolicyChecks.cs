using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Policies;

namespace NetLlm.Testing.Conformance;

/// <summary>Checks for policies: every action a policy takes is valid in the environment's action space.</summary>
public static class PolicyChecks
{
    /// <summary>
    /// Runs <paramref name="episodes"/> episodes and fails on the first action outside the action space. Returns the
    /// number of actions checked.
    /// </summary>
    /// <typeparam name="TObs">Observation type.</typeparam>
    /// <typeparam name="TAct">Action type.</typeparam>
    /// <param name="policy">The policy.</param>
    /// <param name="environment">The environment.</param>
    /// <param name="episodes">Episodes to run.</param>
    /// <param name="seed">Reset seed.</param>
    /// <param name="maxSteps">Step limit per episode.</param>
    public static int ValidActions<TObs, TAct>(IPolicy<TObs, TAct> policy, IEnvironment<TObs, TAct> environment, int episodes = 1, int seed = 1, int maxSteps = 100_000)
    {
        var checkedActions = 0;
        var observation = environment.Reset(seed).Observation;
        for (var e = 0; e < episodes; e++)
        {
            if (e > 0)
            {
                observation = environment.Reset().Observation;
            }

            policy.BeginEpisode();
            for (var i = 0; i < maxSteps; i++)
            {
                var action = policy.Act(observation);
                if (!environment.ActionSpace.Contains(action))
                {
                    throw new ConformanceException(nameof(ValidActions), $"{policy.Id} chose an invalid action at episode {e} step {i} in {environment.Id}");
                }

                checkedActions++;
                var step = environment.Step(action);
                policy.Observe(step.Reward, step.Done);
                observation = step.Observation;
                if (step.Done)
                {
                    break;
                }
            }
        }

        return checkedActions;
    }
}
