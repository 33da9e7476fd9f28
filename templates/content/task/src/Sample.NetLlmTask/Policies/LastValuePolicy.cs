using NetLlm.Abstractions.Policies;

namespace Sample.NetLlmTask.Policies;

/// <summary>Predicts that the throughput stays at its last observed value for the whole horizon.</summary>
public sealed class LastValuePolicy : IPolicy<float[], float[]>
{
    private readonly int _horizon;

    /// <summary>Creates the policy.</summary>
    /// <param name="horizon">Values per prediction.</param>
    public LastValuePolicy(int horizon)
    {
        _horizon = horizon;
    }

    /// <inheritdoc />
    public string Id => LastValuePolicyProvider.PolicyId;

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public float[] Act(float[] observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return Enumerable.Repeat(observation[^1], _horizon).ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

/// <summary>Provides <see cref="LastValuePolicy"/> as <c>sample-bw.last-value</c>.</summary>
public sealed class LastValuePolicyProvider : ILegacyPolicyProvider
{
    /// <summary>The policy id.</summary>
    public const string PolicyId = ThroughputTask.TaskId + ".last-value";

    /// <inheritdoc />
    public string Id => PolicyId;

    /// <inheritdoc />
    public string TaskId => ThroughputTask.TaskId;

    /// <inheritdoc />
    public string Description => "Last observed throughput, repeated over the horizon";

    /// <inheritdoc />
    public Type ObservationType => typeof(float[]);

    /// <inheritdoc />
    public Type ActionType => typeof(float[]);

    /// <inheritdoc />
    public object Create(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new LastValuePolicy(HorizonOption.From(request));
    }
}
