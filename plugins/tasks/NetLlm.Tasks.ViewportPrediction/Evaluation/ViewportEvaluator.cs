using System.Diagnostics;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Metrics;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Tasks.ViewportPrediction.Evaluation;

/// <summary>The outcome of running a predictor over samples.</summary>
/// <param name="Metrics">Accumulated errors.</param>
/// <param name="Seconds">Wall time spent predicting (metric bookkeeping included).</param>
public sealed record ViewportEvaluation(ViewportMetrics Metrics, double Seconds)
{
    /// <summary>Predictions per second.</summary>
    public double SamplesPerSecond => Seconds > 0 ? Metrics.Samples / Seconds : double.PositiveInfinity;
}

/// <summary>Runs a viewport policy over samples and measures it with <see cref="ViewportMetrics"/>.</summary>
public static class ViewportEvaluator
{
    /// <summary>
    /// Predicts every sample (in batches when the policy implements <see cref="IVpBatchPredictor"/>) and records the
    /// errors. Throws <see cref="InvalidOperationException"/> naming the policy and sample when a prediction has the
    /// wrong number of rows.
    /// </summary>
    /// <param name="policy">The predictor (borrowed).</param>
    /// <param name="samples">Samples with ground truth.</param>
    /// <param name="batchSize">Histories per batch call.</param>
    /// <param name="progress">Progress sink.</param>
    /// <param name="cancellation">Cancellation.</param>
    public static ViewportEvaluation Evaluate(
        IPolicy<VpHistory, VpPrediction> policy,
        IReadOnlyList<ViewportSample> samples,
        int batchSize = 64,
        IProgressSink? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var metrics = new ViewportMetrics();
        using var task = (progress ?? NullProgressSink.Instance).Start($"vp test {policy.Id}", samples.Count);
        var watch = Stopwatch.StartNew();
        policy.BeginEpisode();
        var batcher = policy as IVpBatchPredictor;
        for (var start = 0; start < samples.Count; start += batcher is null ? 1 : batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            var count = batcher is null ? 1 : Math.Min(batchSize, samples.Count - start);
            IReadOnlyList<VpPrediction> predictions;
            if (batcher is null)
            {
                predictions = [policy.Act(VpHistory.From(samples[start]))];
            }
            else
            {
                var histories = new VpHistory[count];
                for (var i = 0; i < count; i++)
                {
                    histories[i] = VpHistory.From(samples[start + i]);
                }

                predictions = batcher.PredictBatch(histories);
            }

            if (predictions.Count != count)
            {
                throw new InvalidOperationException($"policy {policy.Id} returned {predictions.Count} predictions for {count} histories");
            }

            for (var i = 0; i < count; i++)
            {
                var sample = samples[start + i];
                if (predictions[i].Angles.Length != sample.Future.Length)
                {
                    throw new InvalidOperationException(
                        $"policy {policy.Id} predicted {predictions[i].Rows} rows for {sample.Describe()}, expected {sample.FutureLength}");
                }

                metrics.Add(sample.Video, sample.Viewer, predictions[i].Angles, sample.Future);
            }

            task.Advance(count);
        }

        return new ViewportEvaluation(metrics, watch.Elapsed.TotalSeconds);
    }
}
