using System.Globalization;
using NetLlm.Abstractions.Policies;

namespace Sample.NetLlmBaseline;

/// <summary>
/// Predicts the next throughputs as the exponentially weighted moving average of the observed history (oldest first):
/// <c>e = x0; e = alpha * x + (1 - alpha) * e</c> for each later sample, repeated over the horizon. The observation is
/// the history in Mbit/s (<c>float[]</c>); the action is <c>horizon</c> predicted throughputs (<c>float[]</c>), the
/// types of a bandwidth prediction task such as the one <c>dotnet new netllm-task</c> generates.
/// </summary>
public sealed class EwmaPolicy : IPolicy<float[], float[]>
{
    private readonly int _horizon;
    private readonly double _alpha;

    /// <summary>Creates the policy.</summary>
    /// <param name="horizon">Values per prediction (at least 1).</param>
    /// <param name="alpha">Weight of the newest sample, in (0, 1].</param>
    public EwmaPolicy(int horizon, double alpha = 0.5)
    {
        if (horizon < 1)
        {
            throw new ArgumentException($"ewma: horizon {horizon} must be at least 1");
        }

        if (alpha is <= 0 or > 1)
        {
            throw new ArgumentException($"ewma: alpha {alpha.ToString(CultureInfo.InvariantCulture)} must be in (0, 1]");
        }

        _horizon = horizon;
        _alpha = alpha;
    }

    /// <inheritdoc />
    public string Id => EwmaPolicyProvider.PolicyId;

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public float[] Act(float[] observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (observation.Length == 0)
        {
            throw new ArgumentException($"{Id}: the observation holds no throughput sample");
        }

        double estimate = observation[0];
        for (var i = 1; i < observation.Length; i++)
        {
            estimate = (_alpha * observation[i]) + ((1 - _alpha) * estimate);
        }

        return Enumerable.Repeat((float)estimate, _horizon).ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
