using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Baselines.Velocity;

/// <summary>
/// The original's velocity baseline: on normalised angles (float32), <c>v = (x[m-1] - x[0]) / (m - 1)</c> over the
/// m history rows, and the k-th prediction is <c>x[m-1] + k·v</c>, accumulated step by step in float32 as the
/// original's tensors do; then denormalised. Deterministic; holds no tensors.
/// </summary>
public sealed class VelocityPredictor : IPolicy<VpHistory, VpPrediction>
{
    /// <inheritdoc />
    public string Id => VelocityProvider.PolicyId;

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public VpPrediction Act(VpHistory observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var x = ViewportNormalization.Normalize(observation.Angles);
        var m = observation.HistoryLength;
        var degrees = new float[observation.FutureLength * 3];
        for (var axis = 0; axis < 3; axis++)
        {
            var first = x[axis];
            var last = x[((m - 1) * 3) + axis];
            var velocity = (last - first) / (m - 1);
            var current = last;
            for (var k = 0; k < observation.FutureLength; k++)
            {
                current += velocity;
                degrees[(k * 3) + axis] = current * ViewportNormalization.Scales[axis];
            }
        }

        return new VpPrediction(degrees);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
