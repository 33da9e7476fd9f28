namespace NetLlm.Tasks.AdaptiveBitrate.Simulation;

/// <summary>
/// What downloading one chunk produced, in the original's units: the values <c>get_video_chunk</c> returns plus the
/// QoE of the chunk and the run clock. These are exactly the columns of the original's result files.
/// </summary>
/// <param name="Level">Quality level of the chunk (0 to 5).</param>
/// <param name="DelayMs">Download time in ms, including the 80 ms RTT (and the noise factor when not deterministic).</param>
/// <param name="SleepMs">
/// The sleep value the original returns, in ms: when the buffer exceeds 60 s the player sleeps in 500 ms quanta,
/// and the original returns what is left of the sleep after walking the trace intervals it spans (not the whole
/// sleep). The run clock advances by this value, as in the original.
/// </param>
/// <param name="BufferSeconds">Buffer after the download (and after the drain), in seconds.</param>
/// <param name="RebufferSeconds">Stall while downloading, in seconds.</param>
/// <param name="ChunkBytes">Size of the chunk in bytes.</param>
/// <param name="SmoothnessMbps">|bitrate − previous bitrate| in Mbps (the previous bitrate is level 0 for the first chunk).</param>
/// <param name="Reward">QoE of the chunk: bitrate_Mbps − 4.3·rebuffer_s − |Δbitrate|_Mbps.</param>
/// <param name="ClockMs">
/// The original's <c>time_stamp</c>: delay plus sleep of every chunk since the environment started (it is never reset
/// between traces), in ms.
/// </param>
public readonly record struct AbrChunkOutcome(
    int Level,
    double DelayMs,
    double SleepMs,
    double BufferSeconds,
    double RebufferSeconds,
    long ChunkBytes,
    double SmoothnessMbps,
    double Reward,
    double ClockMs)
{
    /// <summary>Bitrate of the chunk in kbps.</summary>
    public int BitrateKbps => AbrConstants.BitratesKbps[Level];

    /// <summary>Bitrate of the chunk in Mbps (the QoE's bitrate term).</summary>
    public double BitrateMbps => AbrConstants.BitratesMbps[Level];
}
