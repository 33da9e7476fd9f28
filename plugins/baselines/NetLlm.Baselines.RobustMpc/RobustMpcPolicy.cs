using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.RobustMpc;

/// <summary>
/// RobustMPC exactly as the original (<c>run_baseline.py::mpc</c>): the bandwidth forecast is the harmonic mean of
/// the last 5 throughputs of the state (leading zeros dropped) divided by 1 + the largest of the last 5 relative
/// forecast errors; every plan of up to 5 chunks moving at most one level per chunk is simulated (buffer +4 s per
/// chunk, chunk sizes looked up from <c>last_index + position + 1</c> as the original does) and the first level of
/// the best plan is returned, ties going to the later plan. The error history and last forecast are never reset
/// between videos (the original keeps them for the whole run). Allocation-free per decision.
/// </summary>
public sealed class RobustMpcPolicy : IPolicy<AbrObservation, int>
{
    private const int ErrorWindow = 5;
    private const int ThroughputRow = 2;
    private readonly double[] _errors = new double[ErrorWindow];
    private readonly MpcPlanner _planner = new();
    private readonly bool _float32State;
    private readonly double _errorWeight;
    private long _errorCount;
    private double _lastEstimate;
    private bool _hasEstimate;

    /// <summary>Creates the policy.</summary>
    /// <param name="float32State">
    /// Read the throughput history rounded to float32, as the original does when its state array is float32 (its
    /// experience-pool generator, and the first trace of its test loop).
    /// </param>
    /// <param name="errorWeight">
    /// Weight of the largest recent relative forecast error in the discount (1, the original's RobustMPC; 0, plain MPC).
    /// </param>
    public RobustMpcPolicy(bool float32State = false, double errorWeight = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(errorWeight);
        _float32State = float32State;
        _errorWeight = errorWeight;
    }

    /// <inheritdoc />
    public string Id => "abr.mpc";

    /// <summary>Forecast errors recorded so far (the original's <c>len(past_errors)</c>).</summary>
    public long ErrorCount => _errorCount;

    /// <inheritdoc />
    public void BeginEpisode()
    {
        // Deliberately empty: the original never resets past_errors / past_bandwidth_ests between traces.
    }

    /// <inheritdoc />
    public int Act(AbrObservation observation)
    {
        var video = observation.Video
            ?? throw new InvalidOperationException("RobustMPC needs the simulator's video (chunk sizes); this observation carries only a state");

        var latest = Throughput(observation, AbrConstants.StateColumns - 1);
        var error = 0.0;
        if (_hasEstimate)
        {
            error = Math.Abs(_lastEstimate - latest) / latest;
        }

        _errors[_errorCount % ErrorWindow] = error;
        _errorCount++;

        // Harmonic mean of the last 5 throughputs, leading zeros stripped.
        var start = AbrConstants.StateColumns - 5;
        while (start < AbrConstants.StateColumns && Throughput(observation, start) == 0.0)
        {
            start++;
        }

        if (start == AbrConstants.StateColumns)
        {
            throw new InvalidOperationException("RobustMPC: the state holds no throughput sample (row 2 is all zero)");
        }

        var sum = 0.0;
        for (var c = start; c < AbrConstants.StateColumns; c++)
        {
            sum += 1 / Throughput(observation, c);
        }

        var harmonic = 1.0 / (sum / (AbrConstants.StateColumns - start));

        var window = (int)Math.Min(_errorCount, ErrorWindow);
        var maxError = double.NegativeInfinity;
        for (var i = 0; i < window; i++)
        {
            var e = _errors[(_errorCount - 1 - i) % ErrorWindow];
            if (e > maxError)
            {
                maxError = e;
            }
        }

        var forecast = harmonic / (1 + (_errorWeight * maxError));
        _lastEstimate = harmonic;
        _hasEstimate = true;

        var lastIndex = AbrConstants.TotalChunks - observation.ChunksRemaining;
        var horizon = MpcComboTable.Horizon;
        if (AbrConstants.TotalChunks - lastIndex < MpcComboTable.Horizon)
        {
            horizon = AbrConstants.TotalChunks - lastIndex;
        }

        return _planner.Choose(video, lastIndex, horizon, forecast, observation.BufferSeconds, observation.Level);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private double Throughput(in AbrObservation observation, int column)
    {
        var v = observation[ThroughputRow, column];
        return _float32State ? (float)v : v;
    }
}
