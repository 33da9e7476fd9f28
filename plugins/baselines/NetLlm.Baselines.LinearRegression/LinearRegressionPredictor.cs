using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Baselines.LinearRegression;

/// <summary>
/// The original's linear-regression baseline: for every axis independently, an ordinary least-squares line of value
/// against row index (with intercept, as sklearn's <c>LinearRegression</c>) is fitted to the history, the next row is
/// predicted, appended, and the line refitted on history + predictions for every following step. Works on normalised
/// angles (float32, as the original's tensors), fits in double precision, stores predictions in float32 and
/// denormalises them. Deterministic; holds no tensors.
/// </summary>
public sealed class LinearRegressionPredictor : IPolicy<VpHistory, VpPrediction>
{
    /// <inheritdoc />
    public string Id => LinearRegressionProvider.PolicyId;

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public VpPrediction Act(VpHistory observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var normalized = ViewportNormalization.Normalize(observation.Angles);
        var predicted = new float[observation.FutureLength * 3];
        var series = new double[observation.HistoryLength + observation.FutureLength];
        for (var axis = 0; axis < 3; axis++)
        {
            for (var i = 0; i < observation.HistoryLength; i++)
            {
                series[i] = normalized[(i * 3) + axis];
            }

            var rolled = RollOut(series, observation.HistoryLength, observation.FutureLength);
            for (var k = 0; k < observation.FutureLength; k++)
            {
                predicted[(k * 3) + axis] = (float)rolled[k];
            }
        }

        var degrees = new float[predicted.Length];
        for (var i = 0; i < predicted.Length; i++)
        {
            degrees[i] = predicted[i] * ViewportNormalization.Scales[i % 3];
        }

        return new VpPrediction(degrees);
    }

    /// <summary>
    /// Rolls a series out: <paramref name="series"/>[0..known) holds the known values and receives the predictions
    /// after them; returns the <paramref name="steps"/> predicted values (each the refitted line at the next index).
    /// </summary>
    /// <param name="series">Buffer of at least <paramref name="known"/> + <paramref name="steps"/> values.</param>
    /// <param name="known">Known values.</param>
    /// <param name="steps">Steps to predict.</param>
    public static double[] RollOut(double[] series, int known, int steps)
    {
        if (known < 1 || series.Length < known + steps)
        {
            throw new ArgumentException($"linear regression needs at least one known value and room for {steps} predictions");
        }

        var result = new double[steps];
        for (var j = 0; j < steps; j++)
        {
            var n = known + j;
            var (slope, intercept) = Fit(series.AsSpan(0, n));
            var next = intercept + (slope * n);
            series[n] = next;
            result[j] = next;
        }

        return result;
    }

    /// <summary>Least-squares line <c>y = slope · i + intercept</c> through <c>(i, y[i])</c>, i = 0..n-1.</summary>
    /// <param name="y">Values.</param>
    public static (double Slope, double Intercept) Fit(ReadOnlySpan<double> y)
    {
        var n = y.Length;
        var meanX = (n - 1) / 2.0;
        double meanY = 0;
        foreach (var v in y)
        {
            meanY += v;
        }

        meanY /= n;
        if (n == 1)
        {
            return (0, meanY);
        }

        double sxy = 0;
        double sxx = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = i - meanX;
            sxy += dx * (y[i] - meanY);
            sxx += dx * dx;
        }

        var slope = sxy / sxx;
        return (slope, meanY - (slope * meanX));
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
