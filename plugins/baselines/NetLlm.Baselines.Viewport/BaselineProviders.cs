using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.ViewportPrediction;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Baselines.Viewport;

/// <summary>Provides <see cref="LinearRegressionPredictor"/> as <c>vp.lr</c>.</summary>
public sealed class LinearRegressionProvider : ILegacyPolicyProvider
{
    /// <summary>The policy id.</summary>
    public const string PolicyId = "vp.lr";

    /// <inheritdoc />
    public string Id => PolicyId;

    /// <inheritdoc />
    public string TaskId => ViewportPredictionTask.TaskId;

    /// <inheritdoc />
    public string Description => "per-axis linear regression on the history, rolled out step by step (refit on history + predictions)";

    /// <inheritdoc />
    public Type ObservationType => typeof(VpHistory);

    /// <inheritdoc />
    public Type ActionType => typeof(VpPrediction);

    /// <inheritdoc />
    public object Create(PolicyRequest request) => new LinearRegressionPredictor();
}

/// <summary>Provides <see cref="VelocityPredictor"/> as <c>vp.velocity</c>.</summary>
public sealed class VelocityProvider : ILegacyPolicyProvider
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
    public Type ObservationType => typeof(VpHistory);

    /// <inheritdoc />
    public Type ActionType => typeof(VpPrediction);

    /// <inheritdoc />
    public object Create(PolicyRequest request) => new VelocityPredictor();
}

/// <summary>Provides <see cref="HoldPredictor"/> as <c>vp.hold</c>.</summary>
public sealed class HoldProvider : ILegacyPolicyProvider
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
    public Type ObservationType => typeof(VpHistory);

    /// <inheritdoc />
    public Type ActionType => typeof(VpPrediction);

    /// <inheritdoc />
    public object Create(PolicyRequest request) => new HoldPredictor();
}
