using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.Oracle;

/// <summary>
/// <c>abr.oracle</c>: at an episode's first decision it finds which trace is playing (the observation's trace position),
/// starts a copy of the simulator there, checks that the copy sees what the environment saw, plans every remaining
/// bitrate with <see cref="OraclePlanner"/>, and then plays the plan. Privileged: it knows the future bandwidth, which
/// no causal policy can; it is a reference (how far from the best a policy is) and an expert for experience pools.
/// </summary>
public sealed class OraclePolicy : IPolicy<AbrObservation, int>
{
    private readonly AbrEnvironment _simulator;
    private readonly double _bufferStep;
    private readonly CancellationToken _cancellation;
    private int[]? _plan;

    /// <summary>Creates the policy over its own copy of the scenario's simulator.</summary>
    public OraclePolicy(AbrScenario scenario, double bufferStep, CancellationToken cancellation = default)
    {
        _simulator = new AbrEnvironment(scenario);
        _bufferStep = bufferStep;
        _cancellation = cancellation;
    }

    /// <inheritdoc/>
    public string Id => "abr.oracle";

    /// <summary>The reward the current plan predicts for the episode's remaining chunks.</summary>
    public double PlannedReward { get; private set; }

    /// <inheritdoc/>
    public void BeginEpisode() => _plan = null;

    /// <inheritdoc/>
    public int Act(AbrObservation observation)
    {
        if (_plan is null)
        {
            var start = _simulator.Reset(options: new Dictionary<string, object?> { ["trace"] = observation.TracePosition }).Observation;
            if (start.ChunksDownloaded != observation.ChunksDownloaded
                || start.LastChunk.DelayMs != observation.LastChunk.DelayMs
                || start.BufferSeconds != observation.BufferSeconds)
            {
                throw new InvalidOperationException(
                    $"abr.oracle: its simulator of trace {observation.TracePosition} does not start where the environment did (delay {start.LastChunk.DelayMs} ms vs {observation.LastChunk.DelayMs} ms): it plans only on the scenario it was created for");
            }

            (_plan, var reward) = OraclePlanner.Plan(_simulator, _bufferStep, _cancellation);
            PlannedReward = reward;
        }

        // The first decision follows the chunk the reset downloaded; the final observation's answer is discarded.
        var index = observation.ChunksDownloaded - 1;
        return index < _plan.Length ? _plan[index] : AbrConstants.DefaultQuality;
    }

    /// <inheritdoc/>
    public void Dispose() => _simulator.Dispose();
}
