namespace NetLlm.Tasks.AdaptiveBitrate.Simulation;

/// <summary>
/// The Pensieve state update after a chunk download, written once for the simulator (<see cref="AbrEnvironment"/>) and
/// for states rebuilt from a real player's reports (<c>netllm serve</c>), so both hold the same numbers.
/// </summary>
public static class AbrStateUpdate
{
    private static ReadOnlySpan<int> RolledRows => [0, 1, 2, 3, 5];

    /// <summary>
    /// Rolls the history one column left and writes the newest column: last bitrate / 4300, buffer s / 10,
    /// throughput bytes / ms / 1000 (MB/s), download time s / 10, the next chunk's sizes in MB (row 4, all six levels)
    /// and min(remaining, 48) / 48.
    /// </summary>
    /// <param name="state">The 6×6 state, row-major.</param>
    /// <param name="level">Quality level of the chunk just downloaded.</param>
    /// <param name="bufferSeconds">Buffer after the download, seconds.</param>
    /// <param name="chunkBytes">Size of the chunk, bytes.</param>
    /// <param name="delayMs">Download time including the RTT, ms.</param>
    /// <param name="nextSizes">Chunk sizes, bytes; the next chunk's size at level i is <c>nextSizes[i * stride + offset]</c>.</param>
    /// <param name="stride">Distance between levels in <paramref name="nextSizes"/>.</param>
    /// <param name="offset">Position of the next chunk at level 0 in <paramref name="nextSizes"/>.</param>
    /// <param name="remaining">Chunks left after this one.</param>
    public static void Apply(Span<double> state, int level, double bufferSeconds, long chunkBytes, double delayMs, ReadOnlySpan<long> nextSizes, int stride, int offset, int remaining)
    {
        const int columns = AbrConstants.StateColumns;

        // np.roll(state, -1, axis=1) followed by writing every row's last column and all of row 4: only the first five
        // columns of rows 0-3 and 5 carry over. Element moves rather than an overlapping span copy, which is a call
        // into the native memmove on every chunk.
        foreach (var row in RolledRows)
        {
            var r = row * columns;
            state[r] = state[r + 1];
            state[r + 1] = state[r + 2];
            state[r + 2] = state[r + 3];
            state[r + 3] = state[r + 4];
            state[r + 4] = state[r + 5];
        }

        state[columns - 1] = AbrConstants.BitratesKbps[level] / (double)AbrConstants.MaxBitrateKbps;
        state[columns + columns - 1] = bufferSeconds / AbrConstants.BufferNormSeconds;
        state[(2 * columns) + columns - 1] = (double)chunkBytes / delayMs / AbrConstants.Thousand;
        state[(3 * columns) + columns - 1] = delayMs / AbrConstants.Thousand / AbrConstants.BufferNormSeconds;
        for (var i = 0; i < AbrConstants.BitrateLevels; i++)
        {
            state[(4 * columns) + i] = nextSizes[(i * stride) + offset] / AbrConstants.Thousand / AbrConstants.Thousand;
        }

        state[(5 * columns) + columns - 1] = Math.Min(remaining, (double)AbrConstants.TotalChunks) / AbrConstants.TotalChunks;
    }

    /// <summary>The chunk's QoE: bitrate_Mbps − 4.3·rebuffer_s − |Δbitrate|_Mbps (the simulator's per-chunk reward).</summary>
    /// <param name="level">Quality level of the chunk.</param>
    /// <param name="previousLevel">Quality level of the chunk before (the default quality for a video's first chunk).</param>
    /// <param name="rebufferSeconds">Stall while downloading it, seconds.</param>
    public static double Reward(int level, int previousLevel, double rebufferSeconds)
    {
        var bitrate = AbrConstants.BitratesKbps[level];
        var change = Math.Abs(bitrate - AbrConstants.BitratesKbps[previousLevel]);
        return (bitrate / AbrConstants.Thousand) - (AbrConstants.RebufferPenalty * rebufferSeconds) - (AbrConstants.SmoothPenalty * change / AbrConstants.Thousand);
    }
}
