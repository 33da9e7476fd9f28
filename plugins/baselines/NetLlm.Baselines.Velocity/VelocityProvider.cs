using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.ViewportPrediction;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Baselines.Velocity;

/// <summary>Provides <see cref="VelocityPredictor"/> as <c>vp.velocity</c> (no options).</summary>
public sealed class VelocityProvider : IPolicyProvider<VpHistory, VpPrediction, NoOptions>
{
    /// <summary>The policy id.</summary>
    public const string PolicyId = "vp.velocity";

    /// <inheritdoc />
    public string Id => PolicyId;

    /// <inheritdoc />
    public string TaskId => ViewportPredictionTask.TaskId;

    /// <inheritdoc />
    public string Description => "constant velocity from the first and last history rows";

    /// <inheritdoc />
    public IPolicy<VpHistory, VpPrediction> Create(PolicyContext context, NoOptions options) => new VelocityPredictor();
}
