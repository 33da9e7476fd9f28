using NetLlm.Tasks.AdaptiveBitrate.Qoe;

namespace NetLlm.Tasks.AdaptiveBitrate.Running;

/// <summary>The outcome of running one policy over a number of episodes.</summary>
/// <param name="PolicyId">The policy.</param>
/// <param name="Traces">One entry per episode, in order.</param>
/// <param name="Qoe">QoE sums over every episode.</param>
/// <param name="PolicyCalls">How many times the policy was asked (including the discarded answer after each video's last chunk).</param>
public sealed record AbrRunResult(string PolicyId, IReadOnlyList<AbrTraceResult> Traces, QoeAccumulator Qoe, long PolicyCalls)
{
    /// <summary>Mean QoE over all scored chunks (the paper's metric).</summary>
    public double MeanQoe => Qoe.MeanQoe;
}
