using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.RobustMpc;

/// <summary>
/// RobustMPC's plan search (<c>calculate_rebuffer</c> of the original). For a bandwidth forecast, the buffer and the
/// last level, every plan of the <see cref="MpcComboTable"/> (truncated to the horizon) is simulated: for each chunk
/// <c>download = size(q, last_index + position + 1) / 1e6 / forecast</c>, stall when the buffer is shorter, buffer
/// +4 s, and <c>reward = Σbitrate/1000 − 4.3·stall − Σ|Δbitrate|/1000</c>; the first level of the best plan is
/// returned, ties going to the later plan. <see cref="Choose"/> gets the same answer with a branch-and-bound search;
/// <see cref="ChooseExhaustive"/> is the original's scan, kept as the reference. One instance per policy (not
/// thread-safe); no allocation per decision.
/// </summary>
public sealed class MpcPlanner
{
    private const double InitialBest = -100000000;
    private const int Levels = AbrConstants.BitrateLevels;
    private const int Horizon = MpcComboTable.Horizon;
    private const int LadderStep = 50;

    /// <summary>Relative slack added to subtree bounds: far above the rounding error of a plan's reward (about 1e-15 relative).</summary>
    private const double BoundSlack = 1e-9;

    private static readonly int[] Ladder = AbrConstants.BitratesKbps.ToArray();
    private static readonly double[] Thousandths = BuildThousandths();
    private static readonly int[] MaxFurtherNetKbps = BuildMaxFurtherNetKbps();
    private readonly double[] _downloadSeconds = new double[Horizon * Levels];
    private readonly double[] _megabytes = new double[(AbrConstants.TotalChunks + 1) * Levels];
    private AbrVideo? _megabytesOf;
    private int _horizon;
    private double _bestReward;
    private int _bestCode;
    private int _bestFirst;

    /// <summary>
    /// The first level of the best plan, by branch and bound. The best is kept as (reward, plan) with the original's
    /// tie rule (equal rewards: the lexicographically later plan wins), so the visiting order is free: the three plans
    /// that make one move and then hold the level are scored first, then the plan tree is searched, skipping a subtree
    /// when an upper bound of its rewards is below the best so far. The bound is the largest reachable
    /// Σ(bitrate − |Δbitrate|) (moving up every remaining chunk, whose net gain is the level left) minus 4.3 × the
    /// stall so far, plus a relative slack that covers floating-point rounding; leaves are scored with exactly the
    /// original's floating-point operations, so the chosen plan is the one the original's scan chooses.
    /// </summary>
    /// <param name="video">Chunk sizes.</param>
    /// <param name="lastIndex">Chunks downloaded so far (the original's <c>last_index</c>).</param>
    /// <param name="horizon">Plan length (5, fewer near the end; 0 returns 0 as the original does).</param>
    /// <param name="forecast">Bandwidth forecast in MB/s.</param>
    /// <param name="buffer">Buffer in seconds.</param>
    /// <param name="level">Level of the chunk just downloaded.</param>
    public int Choose(AbrVideo video, int lastIndex, int horizon, double forecast, double buffer, int level)
    {
        ArgumentNullException.ThrowIfNull(video);
        if (horizon <= 0)
        {
            return 0;
        }

        if (!ReferenceEquals(video, _megabytesOf))
        {
            for (var index = 0; index <= AbrConstants.TotalChunks; index++)
            {
                for (var q = 0; q < Levels; q++)
                {
                    _megabytes[(index * Levels) + q] = video.ChunkBytes(q, index) / 1000000.0;
                }
            }

            _megabytesOf = video;
        }

        _horizon = Math.Min(horizon, Horizon);
        for (var p = 0; p < _horizon; p++)
        {
            var index = lastIndex + p + 1;
            for (var q = 0; q < Levels; q++)
            {
                var megabytes = index < 0 || index > AbrConstants.TotalChunks ? 0.0 : _megabytes[(index * Levels) + q];
                _downloadSeconds[(p * Levels) + q] = megabytes / forecast;
            }
        }

        _bestReward = double.NegativeInfinity;
        _bestCode = -1;
        _bestFirst = 0;
        for (var first = Math.Max(level - 1, 0); first <= Math.Min(level + 1, Levels - 1); first++)
        {
            ScoreHoldingPlan(level, buffer, first);
        }

        Search(0, level, buffer, 0.0, 0, 0, 0, 0);
        return _bestReward >= InitialBest ? _bestFirst : 0;
    }
    /// <summary>The original's exhaustive forward scan over <see cref="MpcComboTable"/> (reference; allocates).</summary>
    /// <param name="video">Chunk sizes.</param>
    /// <param name="lastIndex">Chunks downloaded so far.</param>
    /// <param name="horizon">Plan length.</param>
    /// <param name="forecast">Bandwidth forecast in MB/s.</param>
    /// <param name="buffer">Buffer in seconds.</param>
    /// <param name="level">Level of the chunk just downloaded.</param>
    public static int ChooseExhaustive(AbrVideo video, int lastIndex, int horizon, double forecast, double buffer, int level)
    {
        ArgumentNullException.ThrowIfNull(video);
        var downloads = new double[Horizon * Levels];
        var length = Math.Clamp(horizon, 0, Horizon);
        FillDownloadTimes(video, lastIndex, length, forecast, downloads);
        var maxReward = InitialBest;
        var send = 0;
        foreach (var combo in MpcComboTable.Instance.Combos(level))
        {
            var rebuffer = 0.0;
            var current = buffer;
            var bitrateSum = 0;
            var smoothness = 0;
            var last = level;
            for (var position = 0; position < length; position++)
            {
                var q = combo[position];
                var download = downloads[(position * Levels) + q];
                if (current < download)
                {
                    rebuffer += download - current;
                    current = 0;
                }
                else
                {
                    current -= download;
                }

                current += 4;
                bitrateSum += Ladder[q];
                smoothness += Math.Abs(Ladder[q] - Ladder[last]);
                last = q;
            }

            var reward = (bitrateSum / 1000.0) - (AbrConstants.RebufferPenalty * rebuffer) - (smoothness / 1000.0);
            if (reward >= maxReward)
            {
                maxReward = reward;
                send = length == 0 ? 0 : combo[0];
            }
        }

        return send;
    }

    private static void FillDownloadTimes(AbrVideo video, int lastIndex, int horizon, double forecast, double[] into)
    {
        for (var p = 0; p < horizon; p++)
        {
            var index = lastIndex + p + 1;
            for (var q = 0; q < Levels; q++)
            {
                var bytes = index < 0 || index > AbrConstants.TotalChunks ? 0 : video.ChunkBytes(q, index);
                into[(p * Levels) + q] = (bytes / 1000000.0) / forecast;
            }
        }
    }

    private void ScoreHoldingPlan(int level, double buffer, int first)
    {
        double b = buffer, r = 0;
        int bitrateSum = 0, smoothness = 0, previous = level, code = 0;
        for (var p = 0; p < _horizon; p++)
        {
            var download = _downloadSeconds[(p * Levels) + first];
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
            bitrateSum += Ladder[first];
            smoothness += Math.Abs(Ladder[first] - Ladder[previous]);
            previous = first;
            code = (code * Levels) + first;
        }

        Offer(Reward(bitrateSum, r, smoothness), code, first);
    }

    private void Search(int depth, int previous, double buffer, double rebuffer, int bitrateSum, int smoothnessSum, int first, int codePrefix)
    {
        var ladder = Ladder;
        var previousKbps = ladder[previous];
        var remainingAfter = _horizon - depth - 1;
        var downloads = _downloadSeconds.AsSpan(depth * Levels, Levels);
        var high = Math.Min(previous + 1, Levels - 1);
        var low = Math.Max(previous - 1, 0);
        for (var q = high; q >= low; q--)
        {
            var download = downloads[q];
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
            var kbps = ladder[q];
            var bs = bitrateSum + kbps;
            var ss = smoothnessSum + Math.Abs(kbps - previousKbps);
            var f = depth == 0 ? q : first;
            var code = (codePrefix * Levels) + q;
            if (remainingAfter == 0)
            {
                Offer(Reward(bs, r, ss), code, f);
                continue;
            }

            var penalty = AbrConstants.RebufferPenalty * r;
            var bound = ((bs - ss + MaxFurtherNetKbps[(q * (Horizon + 1)) + remainingAfter]) / 1000.0) - penalty + (BoundSlack * (1 + penalty));
            if (bound < _bestReward)
            {
                continue;
            }

            Search(depth + 1, q, b, r, bs, ss, f, code);
        }
    }

    /// <summary>A plan's reward with the original's floating-point operations (x / 1000.0 read from a table).</summary>
    private static double Reward(int bitrateSum, double rebuffer, int smoothness) =>
        Thousandths[bitrateSum / LadderStep] - (AbrConstants.RebufferPenalty * rebuffer) - Thousandths[smoothness / LadderStep];

    private void Offer(double reward, int code, int first)
    {
        if (reward > _bestReward || (reward == _bestReward && code > _bestCode))
        {
            _bestReward = reward;
            _bestCode = code;
            _bestFirst = first;
        }
    }

    private static double[] BuildThousandths()
    {
        // Every ladder bitrate (hence every sum and difference) is a multiple of 50 kbps; table[i] = (50 i) / 1000.0.
        if (AbrConstants.BitratesKbps.ToArray().Any(k => k % LadderStep != 0))
        {
            throw new InvalidOperationException($"the planner's tables assume ladder bitrates that are multiples of {LadderStep} kbps");
        }

        var table = new double[(Horizon * AbrConstants.MaxBitrateKbps / LadderStep) + 1];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = (i * LadderStep) / 1000.0;
        }

        return table;
    }

    private static int[] BuildMaxFurtherNetKbps()
    {
        // Largest Σ(bitrate − |Δbitrate|) over the next m chunks after level q: moving up every chunk, whose net gain
        // is the level it leaves (staying gains the same, moving down less).
        var table = new int[Levels * (Horizon + 1)];
        for (var q = 0; q < Levels; q++)
        {
            var sum = 0;
            for (var m = 1; m <= Horizon; m++)
            {
                sum += Ladder[Math.Min(q + m - 1, Levels - 1)];
                table[(q * (Horizon + 1)) + m] = sum;
            }
        }

        return table;
    }
}
