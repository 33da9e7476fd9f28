using System.Runtime.CompilerServices;
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
            var reset = episode == 0 ? environment.Reset(seed) : environment.Reset();

            // Two step slots taken in turn: each step's result is written into the slot the next step reads its
            // observation from, so an observation is never copied from one step to the next (ABR's is a 384-byte
            // struct; copying it was a tenth of a BBA step).
            var even = new StepResult<TObservation>(reset.Observation, 0, false, false, reset.Info);
            StepResult<TObservation> odd;
            scorer?.BeginEpisode(even.Observation, environment);
            bool endedOnOdd;
            while (true)
            {
                if (TakeStep(environment, policy, scorer, onStep, in even, out odd, ref steps, ref total, cancellation))
                {
                    endedOnOdd = true;
                    break;
                }

                if (TakeStep(environment, policy, scorer, onStep, in odd, out even, ref steps, ref total, cancellation))
                {
                    endedOnOdd = false;
                    break;
                }
            }

            ref readonly var last = ref endedOnOdd ? ref odd : ref even;
            truncated += last.Truncated ? 1 : 0;
            if (askOnFinalObservation)
            {
                _ = policy.Act(last.Observation);
            }

            scorer?.EndEpisode(environment);
            progress?.Advance(1);
        }

        return new EpisodeStats(episodes, steps, total, truncated);
    }

    // One step from the observation in `from`: ask the policy, step the environment into `to`, feed the scorer, the
    // step observer and the policy. True when the episode is done.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TakeStep<TObservation, TAction>(
        IEnvironment<TObservation, TAction> environment,
        IPolicy<TObservation, TAction> policy,
        IRunScorer<TObservation, TAction>? scorer,
        Action<TObservation, TAction, StepResult<TObservation>>? onStep,
        in StepResult<TObservation> from,
        out StepResult<TObservation> to,
        ref long steps,
        ref double total,
        CancellationToken cancellation)
    {
        if ((++steps & 255) == 0)
        {
            cancellation.ThrowIfCancellationRequested();
        }

        var action = policy.Act(from.Observation);
        to = environment.Step(action);
        scorer?.Step(from.Observation, action, to);
        onStep?.Invoke(from.Observation, action, to);
        policy.Observe(to.Reward, to.Done);
        total += to.Reward;
        return to.Done;
    }
}
