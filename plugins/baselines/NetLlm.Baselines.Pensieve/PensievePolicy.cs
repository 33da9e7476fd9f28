using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.AdaptiveBitrate.Randomness;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.Pensieve;

/// <summary>
/// A Pensieve actor (GENET or a UDR model) acting as the original does (<c>run_baseline.py::pensieve</c>): the
/// action (down / stay / up one level from the last level) is the first index whose cumulative probability exceeds
/// <c>randint(1, 1000) / 1000</c>, drawn from numpy's legacy generator seeded with the run's seed (compared in
/// float32, as numpy compares a float32 array with a Python float). With <c>argmax</c> the most likely action is
/// taken instead and no random number is drawn.
/// </summary>
public sealed class PensievePolicy : IPolicy<AbrObservation, int>
{
    /// <summary>The original's <c>RAND_RANGE</c>.</summary>
    public const int RandRange = 1000;

    private readonly PensieveActor _actor;
    private readonly NumpyRandomState _random;
    private readonly bool _argmax;

    /// <summary>Creates the policy.</summary>
    /// <param name="id">Policy id, for example <c>abr.genet</c>.</param>
    /// <param name="actor">The actor network.</param>
    /// <param name="seed">Seed of the sampling generator (the original's <c>np.random.seed(args.seed)</c>).</param>
    /// <param name="argmax">Take the most likely action instead of sampling.</param>
    public PensievePolicy(string id, PensieveActor actor, long seed, bool argmax)
    {
        Id = id;
        _actor = actor ?? throw new ArgumentNullException(nameof(actor));
        _random = new NumpyRandomState(seed);
        _argmax = argmax;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>True when the policy takes the most likely action.</summary>
    public bool Argmax => _argmax;

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public int Act(AbrObservation observation)
    {
        Span<float> p = stackalloc float[PensieveActor.Actions];
        _actor.Probabilities(observation, p);
        var action = _argmax ? ArgMax(p) : Sample(p);
        return ToLevel(action, observation.Level);
    }

    /// <summary>The original's <c>action2bitrate</c>: 0 = one level down, 1 = stay, 2 = one level up, clipped.</summary>
    /// <param name="action">Actor action 0 to 2.</param>
    /// <param name="lastLevel">Level of the chunk just downloaded.</param>
    public static int ToLevel(int action, int lastLevel)
    {
        var level = action switch
        {
            1 => lastLevel,
            2 => lastLevel + 1,
            _ => lastLevel - 1,
        };
        return Math.Clamp(level, 0, AbrConstants.BitrateLevels - 1);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private int Sample(ReadOnlySpan<float> p)
    {
        var threshold = (float)(_random.RandInt(1, RandRange) / (double)RandRange);
        var cumulative = 0f;
        for (var a = 0; a < p.Length; a++)
        {
            cumulative += p[a];
            if (cumulative > threshold)
            {
                return a;
            }
        }

        // numpy's argmax of an all-False mask is 0.
        return 0;
    }

    private static int ArgMax(ReadOnlySpan<float> p)
    {
        var best = 0;
        for (var a = 1; a < p.Length; a++)
        {
            if (p[a] > p[best])
            {
                best = a;
            }
        }

        return best;
    }
}
