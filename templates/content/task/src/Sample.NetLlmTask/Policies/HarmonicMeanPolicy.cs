using NetLlm.Abstractions.Policies;

namespace Sample.NetLlmTask.Policies;

/// <summary>
/// Predicts the harmonic mean of the last <c>samples</c> throughputs (RobustMPC's throughput estimate; default 5),
/// repeated over the horizon. Zero samples make the mean 0.
/// </summary>
public sealed class HarmonicMeanPolicy : IPolicy<float[], float[]>
{
    private readonly int _horizon;
    private readonly int _samples;

    /// <summary>Creates the policy.</summary>
    /// <param name="horizon">Values per prediction.</param>
    /// <param name="samples">How many recent samples are averaged.</param>
    public HarmonicMeanPolicy(int horizon, int samples = 5)
    {
        if (samples < 1)
        {
            throw new ArgumentException($"harmonic mean: samples {samples} must be at least 1");
        }

        _horizon = horizon;
        _samples = samples;
    }

    /// <inheritdoc />
    public string Id => HarmonicMeanPolicyProvider.PolicyId;

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public float[] Act(float[] observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var recent = observation.Skip(Math.Max(0, observation.Length - _samples)).ToList();
        var mean = recent.Any(v => v <= 0) ? 0f : (float)(recent.Count / recent.Sum(v => 1.0 / v));
        return Enumerable.Repeat(mean, _horizon).ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

/// <summary>Provides <see cref="HarmonicMeanPolicy"/> as <c>sample-bw.harmonic-mean</c>.</summary>
public sealed class HarmonicMeanPolicyProvider : ILegacyPolicyProvider
{
    /// <summary>The policy id.</summary>
    public const string PolicyId = ThroughputTask.TaskId + ".harmonic-mean";

    /// <inheritdoc />
    public string Id => PolicyId;

    /// <inheritdoc />
    public string TaskId => ThroughputTask.TaskId;

    /// <inheritdoc />
    public string Description => "Harmonic mean of the last 5 throughputs (RobustMPC's estimate), repeated over the horizon";

    /// <inheritdoc />
    public Type ObservationType => typeof(float[]);

    /// <inheritdoc />
    public Type ActionType => typeof(float[]);

    /// <inheritdoc />
    public object Create(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new HarmonicMeanPolicy(HorizonOption.From(request));
    }
}
