namespace NetLlm.Tasks.AdaptiveBitrate.Synthetic;

/// <summary>
/// Parameters of the synthetic chunk-size model (see <see cref="AbrSyntheticData.GenerateVideo"/> and SYNTHETIC.md).
/// A chunk at level q has the ladder's nominal size (kbps · 1000 / 8 · 4 s) scaled by the chunk's scene complexity,
/// shared by all levels, and by a small per-level jitter.
/// </summary>
public sealed record SyntheticVideoOptions
{
    /// <summary>Scale of the whole video relative to the ladder (1.2 gives a video like video2).</summary>
    public double BitrateScale { get; init; } = 1.0;

    /// <summary>Scene complexity of each chunk: U(1 − c, 1 + c), shared by every level.</summary>
    public double ComplexitySpread { get; init; } = 0.25;

    /// <summary>Per-level, per-chunk relative jitter: U(1 − j, 1 + j).</summary>
    public double LevelJitter { get; init; } = 0.02;

    /// <summary>Checks the parameters; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (!(BitrateScale > 0) || !double.IsFinite(BitrateScale))
        {
            throw new ArgumentException($"synthetic video: bitrate scale {BitrateScale} must be positive");
        }

        if (!(ComplexitySpread >= 0 && ComplexitySpread < 1))
        {
            throw new ArgumentException($"synthetic video: complexity spread {ComplexitySpread} must be in [0, 1)");
        }

        if (!(LevelJitter >= 0 && LevelJitter < 1))
        {
            throw new ArgumentException($"synthetic video: level jitter {LevelJitter} must be in [0, 1)");
        }
    }
}
