using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Core.Engine;

/// <summary>What an episode loop did.</summary>
/// <param name="Episodes">Episodes run.</param>
/// <param name="Steps">Steps taken.</param>
/// <param name="TotalReward">Sum of rewards over all episodes.</param>
/// <param name="Truncated">Episodes that ended truncated.</param>
public sealed record EpisodeStats(int Episodes, long Steps, double TotalReward, int Truncated);

/// <summary>
/// The one episode loop of the engine (test, collect, eval, adapt's evaluation episodes): the environment is seeded at
/// its first reset and continues its random stream afterwards (Gymnasium's convention); every episode begins the
/// policy's episode, asks it for an action per observation, steps the environment, tells the policy the reward and
/// feeds the scorer and the step observer; with <see cref="EpisodeProtocol.AskOnFinalObservation"/> the policy is asked
/// once more on the final observation and the answer is discarded.
/// </summary>
public static class EpisodeRunner
{
    /// <summary>Runs <paramref name="episodes"/> episodes. The environment and policy are borrowed.</summary>
    /// <typeparam name="TObservation">Observation type.</typeparam>
    /// <typeparam name="TAction">Action type.</typeparam>
    /// <param name="environment">The environment.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="episodes">Episodes to run (at least 1).</param>
    /// <param name="seed">Seed of the first reset, or null to continue the environment's stream.</param>
    /// <param name="scorer">Scorer fed with every episode, or null.</param>
    /// <param name="onStep">Called with every step (experience collection), or null.</param>
    /// <param name="askOnFinalObservation">Ask the policy on the final observation and discard the answer.</param>
    /// <param name="progress">Advanced once per episode, or null.</param>
    /// <param name="cancellation">Checked between episodes and every 256 steps.</param>
    public static EpisodeStats Run<TObservation, TAction>(
        IEnvironment<TObservation, TAction> environment,
        IPolicy<TObservation, TAction> policy,
        int episodes,
        int? seed,
        IRunScorer<TObservation, TAction>? scorer = null,
        Action<TObservation, TAction, StepResult<TObservation>>? onStep = null,
        bool askOnFinalObservation = false,
        IProgressTask? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(episodes, 1);
        long steps = 0;
        double total = 0;
        var truncated = 0;
        for (var episode = 0; episode < episodes; episode++)
        {
            cancellation.ThrowIfCancellationRequested();
            policy.BeginEpisode();
            var observation = (episode == 0 ? environment.Reset(seed) : environment.Reset()).Observation;
            scorer?.BeginEpisode(observation, environment);
            while (true)
            {
                if ((++steps & 255) == 0)
                {
                    cancellation.ThrowIfCancellationRequested();
                }

                var action = policy.Act(observation);
                var step = environment.Step(action);
                scorer?.Step(observation, action, step);
                onStep?.Invoke(observation, action, step);
                policy.Observe(step.Reward, step.Done);
                total += step.Reward;
                observation = step.Observation;
                if (step.Done)
                {
                    truncated += step.Truncated ? 1 : 0;
                    break;
                }
            }

            if (askOnFinalObservation)
            {
                _ = policy.Act(observation);
            }

            scorer?.EndEpisode(environment);
            progress?.Advance(1);
        }

        return new EpisodeStats(episodes, steps, total, truncated);
    }
}
