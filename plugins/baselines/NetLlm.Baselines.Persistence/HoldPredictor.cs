using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Baselines.Persistence;

/// <summary>
/// The persistence baseline (not in the original): every future row repeats the last history row. A floor for the
/// learned predictors — head orientation changes little within a few seconds, so holding it beats extrapolating.
/// Deterministic; holds no tensors.
/// </summary>
public sealed class HoldPredictor : IPolicy<VpHistory, VpPrediction>
{
    /// <inheritdoc />
    public string Id => HoldProvider.PolicyId;

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public VpPrediction Act(VpHistory observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var last = observation.Angles.AsSpan(observation.Angles.Length - 3, 3);
        var result = new float[observation.FutureLength * 3];
        for (var k = 0; k < observation.FutureLength; k++)
        {
            last.CopyTo(result.AsSpan(k * 3, 3));
        }

        return new VpPrediction(result);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
