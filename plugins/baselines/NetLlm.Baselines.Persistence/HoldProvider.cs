using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.ViewportPrediction;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Baselines.Persistence;

/// <summary>Provides <see cref="HoldPredictor"/> as <c>vp.hold</c> (no options).</summary>
public sealed class HoldProvider : IPolicyProvider<VpHistory, VpPrediction, NoOptions>
{
    /// <summary>The policy id.</summary>
    public const string PolicyId = "vp.hold";

    /// <inheritdoc />
    public string Id => PolicyId;

    /// <inheritdoc />
    public string TaskId => ViewportPredictionTask.TaskId;

    /// <inheritdoc />
    public string Description => "persistence: repeat the last history orientation (a floor, not in the original)";

    /// <inheritdoc />
    public IPolicy<VpHistory, VpPrediction> Create(PolicyContext context, NoOptions options) => new HoldPredictor();
}
