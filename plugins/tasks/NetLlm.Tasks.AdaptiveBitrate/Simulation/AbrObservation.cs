using NetLlm.Tasks.AdaptiveBitrate.Data;

namespace NetLlm.Tasks.AdaptiveBitrate.Simulation;

/// <summary>
/// What an ABR policy sees after a chunk download: the Pensieve 6×6 state (rows: last bitrate / 4300, buffer s / 10,
/// throughput MB/s history, download time s / 10 history, next chunk sizes MB at the 6 levels, remaining chunks / 48;
/// column 5 is the newest), the raw outcome of the chunk just downloaded, and the video (for look-ahead policies such
/// as RobustMPC). A value type: copies are independent and nothing needs disposing. Observations rebuilt from an
/// experience pool carry only the state (<see cref="HasSimulatorContext"/> is false).
/// </summary>
public readonly struct AbrObservation
{
    private readonly AbrStateBuffer _state;

    /// <summary>Creates an observation.</summary>
    /// <param name="state">The 6×6 state, row-major (copied).</param>
    /// <param name="lastChunk">Outcome of the chunk just downloaded.</param>
    /// <param name="chunksRemaining">Chunks left to download in this video (0 after the last).</param>
    /// <param name="endOfVideo">The chunk just downloaded was the last of the video.</param>
    /// <param name="video">The video being streamed, or null when unknown (pool states).</param>
    /// <param name="tracePosition">Position of the episode's trace in the environment's trace order (-1 when unknown).</param>
    public AbrObservation(in AbrStateBuffer state, AbrChunkOutcome lastChunk, int chunksRemaining, bool endOfVideo, AbrVideo? video, int tracePosition)
    {
        _state = state;
        LastChunk = lastChunk;
        ChunksRemaining = chunksRemaining;
        EndOfVideo = endOfVideo;
        Video = video;
        TracePosition = tracePosition;
    }

    /// <summary>Number of state values (6 × 6).</summary>
    public const int StateLength = AbrConstants.StateRows * AbrConstants.StateColumns;

    /// <summary>Outcome of the chunk just downloaded (all zero for pool states).</summary>
    public AbrChunkOutcome LastChunk { get; }

    /// <summary>Quality level of the chunk just downloaded.</summary>
    public int Level => LastChunk.Level;

    /// <summary>Buffer after the last download, in seconds.</summary>
    public double BufferSeconds => LastChunk.BufferSeconds;

    /// <summary>Chunks left to download in this video (0 after the last chunk).</summary>
    public int ChunksRemaining { get; }

    /// <summary>Chunks downloaded so far in this video (the original's <c>last_index</c> for RobustMPC).</summary>
    public int ChunksDownloaded => AbrConstants.TotalChunks - ChunksRemaining;

    /// <summary>The chunk just downloaded was the last of the video.</summary>
    public bool EndOfVideo { get; }

    /// <summary>The video being streamed, or null for states read back from an experience pool.</summary>
    public AbrVideo? Video { get; }

    /// <summary>Position of the episode's trace in the environment's trace order, or -1.</summary>
    public int TracePosition { get; }

    /// <summary>True when the observation comes from a simulator (it has a video and a chunk outcome).</summary>
    public bool HasSimulatorContext => Video is not null;

    /// <summary>State value at <paramref name="row"/>, <paramref name="column"/> (column 5 is the newest).</summary>
    /// <param name="row">Row 0 to 5.</param>
    /// <param name="column">Column 0 to 5.</param>
    public double this[int row, int column]
    {
        get
        {
            if ((uint)row >= AbrConstants.StateRows || (uint)column >= AbrConstants.StateColumns)
            {
                throw new ArgumentOutOfRangeException(nameof(row), $"state index ({row}, {column}) is outside 6x6");
            }

            return _state[(row * AbrConstants.StateColumns) + column];
        }
    }

    /// <summary>Copies the state, row-major, into <paramref name="destination"/> (36 values, rounded to float32).</summary>
    /// <param name="destination">At least 36 floats.</param>
    public void CopyStateTo(Span<float> destination)
    {
        if (destination.Length < StateLength)
        {
            throw new ArgumentException($"the state needs {StateLength} values, the destination holds {destination.Length}", nameof(destination));
        }

        for (var i = 0; i < StateLength; i++)
        {
            destination[i] = (float)_state[i];
        }
    }

    /// <summary>Copies the state, row-major, into <paramref name="destination"/> (36 values).</summary>
    /// <param name="destination">At least 36 doubles.</param>
    public void CopyStateTo(Span<double> destination)
    {
        if (destination.Length < StateLength)
        {
            throw new ArgumentException($"the state needs {StateLength} values, the destination holds {destination.Length}", nameof(destination));
        }

        ReadOnlySpan<double> source = _state;
        source.CopyTo(destination);
    }

    /// <summary>The state as a new row-major float array (allocates; for tests and pools).</summary>
    public float[] StateToArray()
    {
        var result = new float[StateLength];
        CopyStateTo(result);
        return result;
    }

    /// <summary>
    /// An observation holding only a state (for example one read back from an experience pool): no video, no chunk
    /// outcome, remaining chunks recovered from row 5.
    /// </summary>
    /// <param name="state">36 values, row-major.</param>
    public static AbrObservation FromState(ReadOnlySpan<float> state)
    {
        if (state.Length != StateLength)
        {
            throw new ArgumentException($"an ABR state has {StateLength} values (6x6), got {state.Length}", nameof(state));
        }

        var buffer = default(AbrStateBuffer);
        for (var i = 0; i < StateLength; i++)
        {
            buffer[i] = state[i];
        }

        var remaining = (int)Math.Round(state[(5 * AbrConstants.StateColumns) + 5] * AbrConstants.TotalChunks);
        var lastLevel = LevelOfNormalisedBitrate(state[5]);
        var outcome = new AbrChunkOutcome(lastLevel, 0, 0, state[AbrConstants.StateColumns + 5] * AbrConstants.BufferNormSeconds, 0, 0, 0, 0, 0);
        return new AbrObservation(buffer, outcome, Math.Clamp(remaining, 0, AbrConstants.TotalChunks), false, null, -1);
    }

    private static int LevelOfNormalisedBitrate(float value)
    {
        var best = 0;
        var bestError = double.MaxValue;
        for (var level = 0; level < AbrConstants.BitrateLevels; level++)
        {
            var error = Math.Abs((AbrConstants.BitratesKbps[level] / (double)AbrConstants.MaxBitrateKbps) - value);
            if (error < bestError)
            {
                best = level;
                bestError = error;
            }
        }

        return best;
    }
}
