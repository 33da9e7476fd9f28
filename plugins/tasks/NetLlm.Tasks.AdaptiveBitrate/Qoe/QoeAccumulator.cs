using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Qoe;

/// <summary>
/// Sums the linear QoE (<c>bitrate_Mbps − 4.3·rebuffer_s − |Δbitrate|_Mbps</c>) and its three terms over chunks.
/// The reported means skip the first chunk of every trace, as the original's <c>calc_mean_reward</c> does (that
/// chunk is always downloaded at quality 0 before any policy acts); the means over all chunks are kept too.
/// </summary>
public struct QoeAccumulator
{
    /// <summary>Scored chunks (every chunk but each trace's first).</summary>
    public long Scored { readonly get; private set; }

    /// <summary>All chunks.</summary>
    public long All { readonly get; private set; }

    /// <summary>Sum of the QoE of the scored chunks.</summary>
    public double RewardSum { readonly get; private set; }

    /// <summary>Sum of the QoE of all chunks.</summary>
    public double RewardSumAll { readonly get; private set; }

    /// <summary>Sum of the bitrate term (Mbps) of the scored chunks.</summary>
    public double BitrateSum { readonly get; private set; }

    /// <summary>Sum of the stall time (s) of the scored chunks.</summary>
    public double RebufferSum { readonly get; private set; }

    /// <summary>Sum of |Δbitrate| (Mbps) of the scored chunks.</summary>
    public double SmoothnessSum { readonly get; private set; }

    /// <summary>Adds a chunk.</summary>
    /// <param name="chunk">The chunk's outcome.</param>
    /// <param name="firstOfTrace">True for the first chunk of a trace (counted in the all-chunk mean only).</param>
    public void Add(in AbrChunkOutcome chunk, bool firstOfTrace)
    {
        All++;
        RewardSumAll += chunk.Reward;
        if (firstOfTrace)
        {
            return;
        }

        Scored++;
        RewardSum += chunk.Reward;
        BitrateSum += chunk.BitrateMbps;
        RebufferSum += chunk.RebufferSeconds;
        SmoothnessSum += chunk.SmoothnessMbps;
    }

    /// <summary>Adds everything another accumulator holds.</summary>
    /// <param name="other">The other accumulator.</param>
    public void Add(in QoeAccumulator other)
    {
        All += other.All;
        Scored += other.Scored;
        RewardSum += other.RewardSum;
        RewardSumAll += other.RewardSumAll;
        BitrateSum += other.BitrateSum;
        RebufferSum += other.RebufferSum;
        SmoothnessSum += other.SmoothnessSum;
    }

    /// <summary>Mean QoE of the scored chunks (the paper's metric); NaN when none.</summary>
    public readonly double MeanQoe => Scored == 0 ? double.NaN : RewardSum / Scored;

    /// <summary>Mean QoE over all chunks including each trace's first.</summary>
    public readonly double MeanQoeAllChunks => All == 0 ? double.NaN : RewardSumAll / All;

    /// <summary>Mean bitrate of the scored chunks, Mbps (the QoE's bitrate term).</summary>
    public readonly double MeanBitrateMbps => Scored == 0 ? double.NaN : BitrateSum / Scored;

    /// <summary>Mean stall per scored chunk, seconds.</summary>
    public readonly double MeanRebufferSeconds => Scored == 0 ? double.NaN : RebufferSum / Scored;

    /// <summary>Mean |Δbitrate| per scored chunk, Mbps (the QoE's smoothness term).</summary>
    public readonly double MeanSmoothnessMbps => Scored == 0 ? double.NaN : SmoothnessSum / Scored;

    /// <summary>Mean rebuffering penalty per scored chunk (4.3 × mean stall).</summary>
    public readonly double MeanRebufferPenalty => AbrConstants.RebufferPenalty * MeanRebufferSeconds;
}
