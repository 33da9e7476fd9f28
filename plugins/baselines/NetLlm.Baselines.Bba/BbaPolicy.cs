using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.Bba;

/// <summary>
/// Buffer-based adaptation (BBA) as in the original: quality 0 below a 5 s reservoir, the top quality at or above
/// reservoir + 10 s cushion, and <c>int(5 · (buffer − 5) / 10)</c> in between. Deterministic and stateless.
/// </summary>
public sealed class BbaPolicy : IPolicy<AbrObservation, int>
{
    /// <summary>Reservoir in seconds (<c>RESEVOIR</c>).</summary>
    public const double ReservoirSeconds = 5;

    /// <summary>Cushion in seconds (<c>CUSHION</c>).</summary>
    public const double CushionSeconds = 10;

    /// <inheritdoc />
    public string Id => "abr.bba";

    /// <summary>The level BBA picks for a buffer of <paramref name="bufferSeconds"/>.</summary>
    /// <param name="bufferSeconds">Buffer after the last download, in seconds.</param>
    public static int Choose(double bufferSeconds)
    {
        const int top = AbrConstants.BitrateLevels - 1;
        if (bufferSeconds < ReservoirSeconds)
        {
            return 0;
        }

        if (bufferSeconds >= ReservoirSeconds + CushionSeconds)
        {
            return top;
        }

        return (int)(top * (bufferSeconds - ReservoirSeconds) / CushionSeconds);
    }

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public int Act(AbrObservation observation) => Choose(observation.BufferSeconds);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
