namespace NetLlm.Tasks.AdaptiveBitrate.Simulation;

/// <summary>
/// The constants of the original Pensieve/Genet simulator and QoE (NetLLM <c>baseline_special/env.py</c> and
/// <c>utils/constants.py</c>); see <c>upstream-reference.md</c> §1.4.
/// </summary>
public static class AbrConstants
{
    /// <summary>Number of quality levels of the bitrate ladder.</summary>
    public const int BitrateLevels = 6;

    /// <summary>Chunks per video (<c>TOTAL_VIDEO_CHUNK</c>, also <c>CHUNK_TIL_VIDEO_END_CAP</c>).</summary>
    public const int TotalChunks = 48;

    /// <summary>Lines of a chunk-size file: one more than <see cref="TotalChunks"/> (RobustMPC looks one chunk ahead of the last).</summary>
    public const int ChunkSizeLines = TotalChunks + 1;

    /// <summary>Chunk duration in milliseconds (<c>VIDEO_CHUNK_LEN</c>).</summary>
    public const double ChunkLengthMs = 4000.0;

    /// <summary>Buffer cap in milliseconds (<c>BUFFER_THRESH</c>).</summary>
    public const double BufferThresholdMs = 60.0 * 1000.0;

    /// <summary>Quantum of the sleep that drains an over-full buffer, in milliseconds.</summary>
    public const double DrainBufferSleepMs = 500.0;

    /// <summary>Share of the link rate that carries payload (<c>PACKET_PAYLOAD_PORTION</c>).</summary>
    public const double PacketPayloadPortion = 0.95;

    /// <summary>Round-trip time added to every chunk download, in milliseconds (<c>LINK_RTT</c>).</summary>
    public const double LinkRttMs = 80.0;

    /// <summary>Lower bound of the multiplicative delay noise (non-deterministic runs only).</summary>
    public const double NoiseLow = 0.9;

    /// <summary>Upper bound of the multiplicative delay noise.</summary>
    public const double NoiseHigh = 1.1;

    /// <summary>Seed the original environment gives numpy's global generator when it is built (<c>RANDOM_SEED</c>).</summary>
    public const long EnvironmentSeed = 998244353;

    /// <summary>Milliseconds per second (<c>MILLISECONDS_IN_SECOND</c>).</summary>
    public const double MillisecondsPerSecond = 1000.0;

    /// <summary>Bytes per megabyte as the simulator counts them (<c>B_IN_MB</c>).</summary>
    public const double BytesPerMegabyte = 1000000.0;

    /// <summary>Bits per byte.</summary>
    public const double BitsPerByte = 8.0;

    /// <summary>The original's <c>M_IN_K</c>.</summary>
    public const double Thousand = 1000.0;

    /// <summary>Buffer and delay normalisation of the state (<c>BUFFER_NORM_FACTOR</c>, seconds).</summary>
    public const double BufferNormSeconds = 10.0;

    /// <summary>Quality of the first chunk of every video, chosen without consulting the policy (<c>DEFAULT_QUALITY</c>).</summary>
    public const int DefaultQuality = 0;

    /// <summary>Rows of the Pensieve state (<c>S_INFO</c>).</summary>
    public const int StateRows = 6;

    /// <summary>History columns of the Pensieve state (<c>S_LEN</c>); column 5 is the newest.</summary>
    public const int StateColumns = 6;

    /// <summary>Rebuffering penalty per second of stall (<c>REBUF_PENALTY</c>).</summary>
    public const double RebufferPenalty = 4.3;

    /// <summary>Smoothness penalty per Mbps of bitrate change (<c>SMOOTH_PENALTY</c>).</summary>
    public const int SmoothPenalty = 1;

    private static readonly int[] Ladder = [300, 750, 1200, 1850, 2850, 4300];

    /// <summary>The bitrate ladder in kbps (<c>VIDEO_BIT_RATE</c>).</summary>
    public static ReadOnlySpan<int> BitratesKbps => Ladder;

    /// <summary>The highest bitrate in kbps (normalises state row 0).</summary>
    public const int MaxBitrateKbps = 4300;

    // Per-level and per-count values the simulator and the scorer need every chunk, divided once here exactly as they
    // were divided per chunk (a double division costs as much as the rest of a BBA decision).
    private static readonly double[] LadderMbps = [.. Ladder.Select(kbps => kbps / Thousand)];
    private static readonly double[] LadderNormalised = [.. Ladder.Select(kbps => kbps / (double)MaxBitrateKbps)];
    private static readonly double[] RemainingNormalised = [.. Enumerable.Range(0, TotalChunks + 1).Select(n => Math.Min(n, (double)TotalChunks) / TotalChunks)];

    /// <summary>The ladder in Mbps (<c>kbps / 1000</c>).</summary>
    internal static ReadOnlySpan<double> BitratesMbps => LadderMbps;

    /// <summary>The ladder normalised by the top bitrate (state row 0).</summary>
    internal static ReadOnlySpan<double> NormalisedBitrates => LadderNormalised;

    /// <summary><c>min(n, 48) / 48</c> for 0 to 48 chunks remaining (state row 5).</summary>
    internal static ReadOnlySpan<double> NormalisedRemaining => RemainingNormalised;
}
