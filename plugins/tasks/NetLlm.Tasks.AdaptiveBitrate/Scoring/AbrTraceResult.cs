using NetLlm.Tasks.AdaptiveBitrate.Qoe;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Scoring;

/// <summary>The outcome of one episode (one trace).</summary>
/// <param name="Name">The trace's qualified name (<c>&lt;folder&gt;_&lt;file&gt;</c>, as in result file names).</param>
/// <param name="Position">Position of the trace in the environment's episode order.</param>
/// <param name="Qoe">QoE sums of the episode (first chunk unscored).</param>
/// <param name="Chunks">Every chunk in order, when recording was on; otherwise empty.</param>
public sealed record AbrTraceResult(string Name, int Position, QoeAccumulator Qoe, IReadOnlyList<AbrChunkOutcome> Chunks)
{
    /// <summary>Mean QoE of the episode, skipping its first chunk.</summary>
    public double MeanQoe => Qoe.MeanQoe;
}
