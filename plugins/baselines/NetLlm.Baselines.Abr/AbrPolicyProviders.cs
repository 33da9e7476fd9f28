using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.Abr;

/// <summary>Provides <see cref="BbaPolicy"/> as <c>abr.bba</c>.</summary>
public sealed class BbaPolicyProvider : ILegacyPolicyProvider
{
    /// <inheritdoc />
    public string Id => "abr.bba";

    /// <inheritdoc />
    public string TaskId => "abr";

    /// <inheritdoc />
    public string Description => "Buffer-based adaptation (reservoir 5 s, cushion 10 s)";

    /// <inheritdoc />
    public Type ObservationType => typeof(AbrObservation);

    /// <inheritdoc />
    public Type ActionType => typeof(int);

    /// <inheritdoc />
    public object Create(PolicyRequest request) => new BbaPolicy();
}

/// <summary>
/// Provides <see cref="RobustMpcPolicy"/> as <c>abr.mpc</c>. Option <c>mpc-float32-state</c> reads the throughput
/// history rounded to float32, as the original's experience-pool generator does.
/// </summary>
public sealed class RobustMpcPolicyProvider : ILegacyPolicyProvider
{
    /// <inheritdoc />
    public string Id => "abr.mpc";

    /// <inheritdoc />
    public string TaskId => "abr";

    /// <inheritdoc />
    public string Description => "RobustMPC: harmonic-mean forecast over 1 + max recent error, 5-chunk horizon, one level per step";

    /// <inheritdoc />
    public Type ObservationType => typeof(AbrObservation);

    /// <inheritdoc />
    public Type ActionType => typeof(int);

    /// <inheritdoc />
    public object Create(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new RobustMpcPolicy(request.Flag("mpc-float32-state"));
    }
}
