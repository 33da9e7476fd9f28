using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.ViewportPrediction;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Baselines.LinearRegression;

/// <summary>Provides <see cref="LinearRegressionPredictor"/> as <c>vp.lr</c> (no options).</summary>
public sealed class LinearRegressionProvider : IPolicyProvider<VpHistory, VpPrediction, NoOptions>
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
    public IPolicy<VpHistory, VpPrediction> Create(PolicyContext context, NoOptions options) => new LinearRegressionPredictor();
}
