using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.Abr;

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
    private readonly double[] _downloadSeconds = new double[MpcComboTable.Horizon * AbrConstants.BitrateLevels];
    private readonly MpcComboTable _table = MpcComboTable.Instance;
    private readonly bool _float32State;
    private long _errorCount;
    private double _lastEstimate;
    private bool _hasEstimate;

    // Search state of one decision.
    private int _horizon;
    private double _bestReward;
    private int _bestFirst;

    /// <summary>Creates the policy.</summary>
    /// <param name="float32State">
    /// Read the throughput history rounded to float32, as the original does when its state array is float32 (its
    /// experience-pool generator, and the first trace of its test loop).
    /// </param>
    public RobustMpcPolicy(bool float32State = false)
    {
        _float32State = float32State;
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

        var forecast = harmonic / (1 + maxError);
        _lastEstimate = harmonic;
        _hasEstimate = true;

        var lastIndex = AbrConstants.TotalChunks - observation.ChunksRemaining;
        _horizon = MpcComboTable.Horizon;
        if (AbrConstants.TotalChunks - lastIndex < MpcComboTable.Horizon)
        {
            _horizon = AbrConstants.TotalChunks - lastIndex;
        }

        return Plan(video, lastIndex, forecast, observation.BufferSeconds, observation.Level);
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

    private int Plan(AbrVideo video, int lastIndex, double forecast, double buffer, int level)
    {
        if (_horizon <= 0)
        {
            // The original's loop sees only empty plans and returns its initial choice, 0.
            return 0;
        }

        for (var p = 0; p < _horizon; p++)
        {
            var index = lastIndex + p + 1;
            for (var q = 0; q < AbrConstants.BitrateLevels; q++)
            {
                var bytes = index < 0 || index > AbrConstants.TotalChunks ? 0 : video.ChunkBytes(q, index);
                _downloadSeconds[(p * AbrConstants.BitrateLevels) + q] = (bytes / 1000000.0) / forecast;
            }
        }

        _bestReward = -100000000;
        _bestFirst = 0;
        Search(0, level, buffer, 0.0, 0, 0, -1);
        return _bestFirst;
    }

    private void Search(int depth, int previous, double buffer, double rebuffer, int bitrateSum, int smoothnessSum, int first)
    {
        var next = _table.Next(previous);
        var previousKbps = AbrConstants.BitratesKbps[previous];
        for (var i = 0; i < next.Length; i++)
        {
            var q = next[i];
            var download = _downloadSeconds[(depth * AbrConstants.BitrateLevels) + q];
            var b = buffer;
            var r = rebuffer;
            if (b < download)
            {
                r += download - b;
                b = 0;
            }
            else
            {
                b -= download;
            }

            b += 4;
            var kbps = AbrConstants.BitratesKbps[q];
            var bs = bitrateSum + kbps;
            var ss = smoothnessSum + Math.Abs(kbps - previousKbps);
            var f = depth == 0 ? q : first;
            if (depth + 1 == _horizon)
            {
                var reward = (bs / 1000.0) - (AbrConstants.RebufferPenalty * r) - (ss / 1000.0);
                if (reward >= _bestReward)
                {
                    _bestReward = reward;
                    _bestFirst = f;
                }
            }
            else
            {
                Search(depth + 1, q, b, r, bs, ss, f);
            }
        }
    }
}
