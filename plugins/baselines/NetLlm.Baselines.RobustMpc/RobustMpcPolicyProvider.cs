using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.RobustMpc;

/// <summary>Provides <see cref="RobustMpcPolicy"/> as <c>abr.mpc</c>.</summary>
public sealed class RobustMpcPolicyProvider : IPolicyProvider<AbrObservation, int, RobustMpcOptions>
{
    /// <inheritdoc />
    public string Id => "abr.mpc";

    /// <inheritdoc />
    public string TaskId => "abr";

    /// <inheritdoc />
    public string Description => "RobustMPC: harmonic-mean forecast over 1 + max recent error, 5-chunk horizon, one level per step";

    /// <inheritdoc />
    public IPolicy<AbrObservation, int> Create(PolicyContext context, RobustMpcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RobustMpcPolicy(options.MpcFloat32State, options.MpcErrorWeight);
    }
}
