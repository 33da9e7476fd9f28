namespace NetLlm.Tasks.AdaptiveBitrate.Synthetic;

/// <summary>
/// Parameters of the synthetic bandwidth-trace model (see <see cref="AbrSyntheticData.GenerateTraces"/> and
/// SYNTHETIC.md). The defaults resemble Genet's <c>synthetic_test</c> traces: 320 one-second samples, levels between
/// 0.4 and 5.2 Mbps held for 2 to 6 s, ±3 % jitter.
/// </summary>
public sealed record SyntheticTraceOptions
{
    /// <summary>Trace length in seconds (the last sample time).</summary>
    public double DurationSeconds { get; init; } = 320;

    /// <summary>Time between samples in seconds.</summary>
    public double StepSeconds { get; init; } = 1.0;

    /// <summary>Lowest bandwidth level in Mbps.</summary>
    public double MinMbps { get; init; } = 0.4;

    /// <summary>Highest bandwidth level in Mbps.</summary>
    public double MaxMbps { get; init; } = 5.2;

    /// <summary>Shortest time a level is held, in samples.</summary>
    public int MinHoldSteps { get; init; } = 2;

    /// <summary>Longest time a level is held, in samples.</summary>
    public int MaxHoldSteps { get; init; } = 6;

    /// <summary>Relative jitter around the held level: each sample is level · U(1 − j, 1 + j).</summary>
    public double Jitter { get; init; } = 0.03;

    /// <summary>Decimals the bandwidth is rounded to (as in the cooked trace files).</summary>
    public int Decimals { get; init; } = 2;

    /// <summary>Checks the parameters; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (!(DurationSeconds > 0) || !(StepSeconds > 0) || DurationSeconds / StepSeconds < 2)
        {
            throw new ArgumentException($"synthetic traces: duration {DurationSeconds} s and step {StepSeconds} s must give at least two samples");
        }

        if (!(MinMbps > 0) || !(MaxMbps >= MinMbps) || !double.IsFinite(MaxMbps))
        {
            throw new ArgumentException($"synthetic traces: need 0 < min_mbps ({MinMbps}) <= max_mbps ({MaxMbps})");
        }

        if (MinHoldSteps < 1 || MaxHoldSteps < MinHoldSteps)
        {
            throw new ArgumentException($"synthetic traces: need 1 <= min_hold ({MinHoldSteps}) <= max_hold ({MaxHoldSteps})");
        }

        if (!(Jitter >= 0 && Jitter < 1))
        {
            throw new ArgumentException($"synthetic traces: jitter {Jitter} must be in [0, 1)");
        }

        if (Decimals is < 0 or > 15)
        {
            throw new ArgumentException($"synthetic traces: decimals {Decimals} must be between 0 and 15");
        }
    }
}
