using NetLlm.Abstractions.Spaces;

namespace NetLlm.Tasks.AdaptiveBitrate.Simulation;

/// <summary>
/// The set of ABR observations: finite, non-negative state values, row 0 a ladder bitrate over 4300, row 5 in
/// [0, 1], and a valid level and remaining-chunk count.
/// </summary>
public sealed class AbrObservationSpace : ISpace<AbrObservation>
{
    /// <summary>The shared instance.</summary>
    public static AbrObservationSpace Instance { get; } = new();

    /// <inheritdoc />
    public bool Contains(AbrObservation value)
    {
        if (value.Level is < 0 or >= AbrConstants.BitrateLevels || value.ChunksRemaining is < 0 or > AbrConstants.TotalChunks)
        {
            return false;
        }

        for (var row = 0; row < AbrConstants.StateRows; row++)
        {
            for (var column = 0; column < AbrConstants.StateColumns; column++)
            {
                var v = value[row, column];
                if (!double.IsFinite(v) || v < 0)
                {
                    return false;
                }
            }
        }

        for (var column = 0; column < AbrConstants.StateColumns; column++)
        {
            if (value[0, column] > 1.0 || value[5, column] > 1.0)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public AbrObservation Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var state = new float[AbrObservation.StateLength];
        for (var column = 0; column < AbrConstants.StateColumns; column++)
        {
            state[column] = AbrConstants.BitratesKbps[random.Next(AbrConstants.BitrateLevels)] / (float)AbrConstants.MaxBitrateKbps;
            state[AbrConstants.StateColumns + column] = (float)(random.NextDouble() * 6.0);
            state[(2 * AbrConstants.StateColumns) + column] = (float)(random.NextDouble() * 2.0);
            state[(3 * AbrConstants.StateColumns) + column] = (float)(random.NextDouble() * 1.0);
            state[(4 * AbrConstants.StateColumns) + column] = (float)(random.NextDouble() * 2.5);
        }

        state[(5 * AbrConstants.StateColumns) + 5] = random.Next(AbrConstants.TotalChunks + 1) / (float)AbrConstants.TotalChunks;
        return AbrObservation.FromState(state);
    }

    /// <inheritdoc />
    public string Describe() => "AbrObservation(state 6x6 >= 0, level 0..5, chunks remaining 0..48)";
}
