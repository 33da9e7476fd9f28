using System.Diagnostics;
using System.Runtime;

namespace NetLlm.Core.Benchmarks;

/// <summary>How a warm-up ended.</summary>
/// <param name="Seconds">Wall time spent warming up.</param>
/// <param name="Iterations">Iterations run.</param>
/// <param name="Settled">True when the JIT compiled nothing for the quiet period; false when the time cap ended it.</param>
public sealed record WarmupResult(double Seconds, int Iterations, bool Settled);

/// <summary>
/// Runs a benchmark's iteration, unmeasured, until its code is in its final tier: at least a minimum time, then until
/// the runtime has compiled no method for a quiet period (tiered compilation goes Tier0, instrumented, then optimised
/// with the profile, in the background and after a delay, so a fixed warm-up can end with the slow tiers still
/// running), capped at a maximum. Measured on <c>bench abr</c>: the engine's episode loop reached its optimised code
/// about 0.9 s after the first call, so a fixed half-second warm-up left 0.4 s of unoptimised code in the timing.
/// </summary>
public static class JitWarmup
{
    /// <summary>
    /// The quiet period that shows the JIT has settled on a machine with <paramref name="processorCount"/> processors:
    /// 0.5 s, or 1.5 s on one processor. The runtime starts counting calls for tier-up only once no method has been
    /// compiled at tier 0 for 100 ms, ten times that on one processor (<c>TC_DelaySingleProcMultiplier</c>); a
    /// half-second quiet period on one processor (a container limited to one CPU, <c>taskset -c 0</c>) ended the
    /// warm-up before tier-up had begun, and <c>bench abr</c> then timed its episode loop in on-stack-replaced code at
    /// about a third of its speed.
    /// </summary>
    /// <param name="processorCount">Processors the process may run on (<see cref="Environment.ProcessorCount"/>).</param>
    public static double QuietSecondsFor(int processorCount) => processorCount <= 1 ? 1.5 : 0.5;

    /// <summary>Warms up with <paramref name="iteration"/>.</summary>
    /// <param name="iteration">One unmeasured run of the code that will be measured.</param>
    /// <param name="minimumSeconds">Warm up at least this long.</param>
    /// <param name="quietSeconds">Stop once no method was compiled for this long (after the minimum).</param>
    /// <param name="maximumSeconds">Stop after this long in any case.</param>
    /// <param name="cancellation">Checked between iterations.</param>
    public static WarmupResult Run(Action iteration, double minimumSeconds, double quietSeconds, double maximumSeconds, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(iteration);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(quietSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumSeconds, minimumSeconds);
        var watch = Stopwatch.StartNew();
        var compiled = JitInfo.GetCompiledMethodCount();
        var lastCompile = 0.0;
        var iterations = 0;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            iteration();
            iterations++;
            var now = watch.Elapsed.TotalSeconds;
            var count = JitInfo.GetCompiledMethodCount();
            if (count != compiled)
            {
                compiled = count;
                lastCompile = now;
            }

            if (now >= maximumSeconds)
            {
                return new WarmupResult(now, iterations, false);
            }

            if (now >= minimumSeconds && now - lastCompile >= quietSeconds)
            {
                return new WarmupResult(now, iterations, true);
            }
        }
    }
}
