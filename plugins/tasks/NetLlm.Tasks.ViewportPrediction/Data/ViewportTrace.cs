namespace NetLlm.Tasks.ViewportPrediction.Data;

/// <summary>
/// One viewer's head orientation over one video: rows of (roll, pitch, yaw) in degrees at 5 Hz, with the playback
/// time of each row. Plain arrays; nothing to dispose.
/// </summary>
public sealed class ViewportTrace
{
    /// <summary>Creates a trace.</summary>
    /// <param name="path">File it was read from.</param>
    /// <param name="times">Playback time of each row, seconds.</param>
    /// <param name="angles">Row-major <c>[rows, 3]</c> roll, pitch, yaw in degrees.</param>
    /// <param name="toleratedTimeReversals">Rows whose time went back by less than the tolerance.</param>
    public ViewportTrace(string path, float[] times, float[] angles, int toleratedTimeReversals = 0)
    {
        if (angles.Length != times.Length * 3)
        {
            throw new ArgumentException($"{path}: {angles.Length} angle values for {times.Length} rows (expected 3 per row)");
        }

        Path = path;
        Times = times;
        Angles = angles;
        ToleratedTimeReversals = toleratedTimeReversals;
    }

    /// <summary>The file the trace was read from.</summary>
    public string Path { get; }

    /// <summary>Playback time of each row, seconds.</summary>
    public float[] Times { get; }

    /// <summary>Row-major <c>[rows, 3]</c> roll, pitch, yaw in degrees.</summary>
    public float[] Angles { get; }

    /// <summary>Number of rows.</summary>
    public int Rows => Times.Length;

    /// <summary>Rows whose time went back by less than the tolerance (recording jitter kept as is).</summary>
    public int ToleratedTimeReversals { get; }

    /// <summary>Rows <c>[start, start + count)</c> as a row-major copy <c>[count, 3]</c>.</summary>
    /// <param name="start">First row.</param>
    /// <param name="count">Number of rows.</param>
    public float[] Slice(int start, int count) => Angles.AsSpan(start * 3, count * 3).ToArray();
}
