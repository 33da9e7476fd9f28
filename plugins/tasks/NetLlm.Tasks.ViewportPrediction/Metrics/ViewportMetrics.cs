using System.Text.Json.Nodes;

namespace NetLlm.Tasks.ViewportPrediction.Metrics;

/// <summary>
/// Accumulates prediction errors as the original's result notebook does: MAE in degrees with the 360° wrap on every
/// axis, averaged over samples × steps × axes, plus breakdowns per axis, per step, per video, per viewer and per
/// (video, viewer) pair, and the per-sample MAE distribution.
/// </summary>
public sealed class ViewportMetrics
{
    private readonly double[] _axisSums = new double[3];
    private readonly List<double> _stepSums = [];
    private readonly List<double> _perSample = [];
    private readonly SortedDictionary<int, Group> _videos = [];
    private readonly SortedDictionary<int, Group> _viewers = [];
    private readonly SortedDictionary<(int, int), Group> _pairs = [];
    private double _sum;
    private double _squaredSum;
    private double _unwrappedSquaredSum;
    private long _elements;

    /// <summary>Samples recorded.</summary>
    public int Samples => _perSample.Count;

    /// <summary>MAE over samples × steps × axes, degrees (NaN when empty).</summary>
    public double Mae => _elements == 0 ? double.NaN : _sum / _elements;

    /// <summary>RMSE with the wrap, degrees.</summary>
    public double Rmse => _elements == 0 ? double.NaN : Math.Sqrt(_squaredSum / _elements);

    /// <summary>RMSE as the original computes it (its <c>compute_rmse</c> drops the wrap), degrees.</summary>
    public double RmseUnwrapped => _elements == 0 ? double.NaN : Math.Sqrt(_unwrappedSquaredSum / _elements);

    /// <summary>MAE of each axis (roll, pitch, yaw), degrees.</summary>
    public IReadOnlyList<double> AxisMae => _axisSums.Select(s => _elements == 0 ? double.NaN : s / (_elements / 3)).ToArray();

    /// <summary>MAE of each future step (1-based step k at index k - 1), degrees.</summary>
    public IReadOnlyList<double> StepMae => _stepSums.Select(s => s / (Samples * 3.0)).ToArray();

    /// <summary>MAE of each sample (over its steps and axes), in recording order.</summary>
    public IReadOnlyList<double> PerSample => _perSample;

    /// <summary>
    /// Records one sample. <paramref name="predicted"/> and <paramref name="truth"/> are row-major <c>[steps, 3]</c> in
    /// degrees and must have the same length. Returns the sample's MAE.
    /// </summary>
    /// <param name="video">Video number.</param>
    /// <param name="viewer">Viewer number.</param>
    /// <param name="predicted">Prediction.</param>
    /// <param name="truth">Ground truth.</param>
    public double Add(int video, int viewer, ReadOnlySpan<float> predicted, ReadOnlySpan<float> truth)
    {
        if (predicted.Length != truth.Length || truth.Length == 0 || truth.Length % 3 != 0)
        {
            throw new ArgumentException($"video {video} viewer {viewer}: prediction has {predicted.Length} values, ground truth {truth.Length} (expected equal, whole (roll, pitch, yaw) rows)");
        }

        var steps = truth.Length / 3;
        while (_stepSums.Count < steps)
        {
            _stepSums.Add(0);
        }

        double sampleSum = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            if (!float.IsFinite(predicted[i]))
            {
                throw new ArgumentException($"video {video} viewer {viewer}: predicted value {i} (step {(i / 3) + 1}, axis {i % 3}) is not finite");
            }

            double error = AngularError.Of(predicted[i], truth[i]);
            double plain = AngularError.Unwrapped(predicted[i], truth[i]);
            sampleSum += error;
            _axisSums[i % 3] += error;
            _stepSums[i / 3] += error;
            _squaredSum += error * error;
            _unwrappedSquaredSum += plain * plain;
        }

        _sum += sampleSum;
        _elements += truth.Length;
        var mae = sampleSum / truth.Length;
        _perSample.Add(mae);
        Accumulate(_videos, video, sampleSum, truth.Length);
        Accumulate(_viewers, viewer, sampleSum, truth.Length);
        Accumulate(_pairs, (video, viewer), sampleSum, truth.Length);
        return mae;
    }

    /// <summary>The metrics as JSON: <c>mae_deg</c>, <c>rmse_deg</c>, <c>per_axis_mae_deg</c>, <c>per_step_mae_deg</c>,
    /// <c>per_video</c>, <c>per_viewer</c>, <c>per_video_viewer</c>.</summary>
    public JsonObject ToJson()
    {
        var axes = new JsonObject();
        var axisMae = AxisMae;
        for (var a = 0; a < 3; a++)
        {
            axes[Data.ViewportNormalization.AxisNames[a]] = axisMae[a];
        }

        return new JsonObject
        {
            ["n_samples"] = Samples,
            ["mae_deg"] = Mae,
            ["rmse_deg"] = Rmse,
            ["rmse_deg_unwrapped"] = RmseUnwrapped,
            ["per_axis_mae_deg"] = axes,
            ["per_step_mae_deg"] = new JsonArray(StepMae.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
            ["per_video"] = new JsonArray(_videos.Select(kv => (JsonNode?)new JsonObject { ["video"] = kv.Key, ["n_samples"] = kv.Value.Samples, ["mae_deg"] = kv.Value.Mae }).ToArray()),
            ["per_viewer"] = new JsonArray(_viewers.Select(kv => (JsonNode?)new JsonObject { ["viewer"] = kv.Key, ["n_samples"] = kv.Value.Samples, ["mae_deg"] = kv.Value.Mae }).ToArray()),
            ["per_video_viewer"] = new JsonArray(_pairs.Select(kv => (JsonNode?)new JsonObject { ["video"] = kv.Key.Item1, ["viewer"] = kv.Key.Item2, ["n_samples"] = kv.Value.Samples, ["mae_deg"] = kv.Value.Mae }).ToArray()),
        };
    }

    private static void Accumulate<TKey>(SortedDictionary<TKey, Group> groups, TKey key, double sum, int elements)
        where TKey : notnull
    {
        if (!groups.TryGetValue(key, out var group))
        {
            group = new Group();
            groups[key] = group;
        }

        group.Sum += sum;
        group.Elements += elements;
        group.Samples++;
    }

    private sealed class Group
    {
        public double Sum { get; set; }

        public long Elements { get; set; }

        public int Samples { get; set; }

        public double Mae => Sum / Elements;
    }
}
