using System.Globalization;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Metrics;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Tasks.ViewportPrediction.Evaluation;

/// <summary>
/// Scores predictions as the original's result notebook does (<see cref="ViewportMetrics"/>): the MAE in degrees with
/// the 360° wrap over samples × steps × axes, one item per sample (its MAE), the roll / pitch / yaw MAE as components,
/// and the RMSEs and the per-step, per-video, per-viewer and per-pair breakdowns as details.
/// </summary>
public static class ViewportScoring
{
    /// <summary>Component names, in column order.</summary>
    public static IReadOnlyList<string> Components => ViewportNormalization.AxisNames;

    /// <summary>
    /// Scores <paramref name="predictions"/> against the samples' futures. Throws <see cref="InvalidOperationException"/>
    /// naming the policy and the sample when a prediction has the wrong number of rows or a non-finite value.
    /// </summary>
    /// <param name="samples">Samples with ground truth.</param>
    /// <param name="predictions">One prediction per sample, in order.</param>
    /// <param name="context">The policy scored.</param>
    public static RunScore Score(IReadOnlyList<ViewportSample> samples, IReadOnlyList<VpPrediction> predictions, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(context);
        if (predictions.Count != samples.Count)
        {
            throw new InvalidOperationException($"policy {context.Policy} gave {predictions.Count} predictions for {samples.Count} samples");
        }

        var metrics = new ViewportMetrics();
        var items = new List<ScoredItem>(samples.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            var predicted = predictions[i].Angles;
            if (predicted.Length != sample.Future.Length)
            {
                throw new InvalidOperationException(
                    $"policy {context.Policy} predicted {predictions[i].Rows} rows for {sample.Describe()}, expected {sample.FutureLength}");
            }

            double mae;
            try
            {
                mae = metrics.Add(sample.Video, sample.Viewer, predicted, sample.Future);
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException($"policy {context.Policy}, {sample.Describe()}: {e.Message}", e);
            }

            items.Add(new ScoredItem(sample.Describe(), mae));
        }

        var axes = metrics.AxisMae;
        return new RunScore
        {
            Metric = metrics.Mae,
            Items = items,
            Components = Components.Select((name, axis) => (name, axis)).ToDictionary(c => c.name, c => axes[c.axis]),
            Details = metrics.ToJson(),
            Notes =
            [
                string.Create(CultureInfo.InvariantCulture,
                    $"RMSE {metrics.Rmse:F3} deg ({metrics.RmseUnwrapped:F3} deg without the wrap, as the original's compute_rmse) over {metrics.Samples} samples"),
            ],
        };
    }
}
