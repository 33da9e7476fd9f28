namespace NetLlm.Tasks.ViewportPrediction.Policies;

/// <summary>A predicted future: row-major <c>[rows, 3]</c> roll, pitch, yaw in degrees.</summary>
/// <param name="Angles">Predicted angles.</param>
public sealed record VpPrediction(float[] Angles)
{
    /// <summary>Predicted rows.</summary>
    public int Rows => Angles.Length / 3;
}
