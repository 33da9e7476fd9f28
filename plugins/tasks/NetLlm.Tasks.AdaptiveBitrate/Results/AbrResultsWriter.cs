using System.Globalization;
using System.Text;
using NetLlm.Tasks.AdaptiveBitrate.Scoring;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Results;

/// <summary>
/// Writes per-trace result files in the original's format (<c>run_baseline.py</c>): one file
/// <c>result_sim_abr_&lt;folder&gt;_&lt;trace&gt;</c> per episode, one tab-separated line per chunk with
/// <c>time_s  bitrate_kbps  buffer_s  rebuffer_s  chunk_bytes  delay_ms  smoothness  reward</c> formatted as Python's
/// <c>str()</c>, and a blank line after the last chunk. A later episode on the same trace overwrites the file, as in
/// the original.
/// </summary>
public static class AbrResultsWriter
{
    /// <summary>File name prefix of result files.</summary>
    public const string FilePrefix = "result_sim_abr_";

    /// <summary>Writes one file per episode of <paramref name="traces"/> into <paramref name="directory"/> (created if needed).</summary>
    /// <param name="directory">Results folder.</param>
    /// <param name="traces">The episodes of a run whose chunks were recorded.</param>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<AbrTraceResult> traces)
    {
        ArgumentNullException.ThrowIfNull(traces);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var trace in traces)
        {
            if (trace.Chunks.Count == 0)
            {
                throw new InvalidOperationException($"trace {trace.Name}: no chunks were recorded (run with chunk recording on to write results)");
            }

            var path = Path.Combine(directory, FilePrefix + trace.Name);
            File.WriteAllText(path, Format(trace.Chunks), new UTF8Encoding(false));
            written.Add(path);
        }

        return written;
    }

    /// <summary>The text of one result file.</summary>
    /// <param name="chunks">The episode's chunks, in order.</param>
    public static string Format(IReadOnlyList<AbrChunkOutcome> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var sb = new StringBuilder(chunks.Count * 120);
        foreach (var c in chunks)
        {
            sb.Append(PythonFloat.Repr(c.ClockMs / AbrConstants.Thousand)).Append('\t')
              .Append(c.BitrateKbps.ToString(CultureInfo.InvariantCulture)).Append('\t')
              .Append(PythonFloat.Repr(c.BufferSeconds)).Append('\t')
              .Append(PythonFloat.Repr(c.RebufferSeconds)).Append('\t')
              .Append(c.ChunkBytes.ToString(CultureInfo.InvariantCulture)).Append('\t')
              .Append(PythonFloat.Repr(c.DelayMs)).Append('\t')
              .Append(PythonFloat.Repr(c.SmoothnessMbps)).Append('\t')
              .Append(PythonFloat.Repr(c.Reward)).Append('\n');
        }

        sb.Append('\n');
        return sb.ToString();
    }
}
