namespace NetLlm.Tasks.ViewportPrediction.Metrics;

/// <summary>
/// The original's per-element error in degrees (<c>utils/metrics.py</c>, <c>rotation=True</c>):
/// <c>min(|gt - pred|, |gt + 360 - pred|, |gt - 360 - pred|)</c>, applied to every axis (roll, pitch and yaw alike),
/// computed in single precision as numpy does on its float32 arrays.
/// </summary>
public static class AngularError
{
    /// <summary>Wrapped absolute error of one value, degrees.</summary>
    /// <param name="predicted">Predicted angle, degrees.</param>
    /// <param name="truth">Ground-truth angle, degrees.</param>
    public static float Of(float predicted, float truth)
    {
        var error = MathF.Abs(truth - predicted);
        error = MathF.Min(error, MathF.Abs(truth + 360f - predicted));
        return MathF.Min(error, MathF.Abs(truth - 360f - predicted));
    }

    /// <summary>Plain absolute error (no wrap): what the original's RMSE uses, since it forgets the wrap.</summary>
    /// <param name="predicted">Predicted angle, degrees.</param>
    /// <param name="truth">Ground-truth angle, degrees.</param>
    public static float Unwrapped(float predicted, float truth) => MathF.Abs(truth - predicted);
}
