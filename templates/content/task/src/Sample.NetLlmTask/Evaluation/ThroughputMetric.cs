namespace Sample.NetLlmTask.Evaluation;

/// <summary>
/// Accumulates prediction errors: the mean absolute error (the task's metric, Mbit/s) and the root mean squared
/// error over every predicted value, plus the MAE of each trace (the distribution reported for CDFs).
/// </summary>
public sealed class ThroughputMetric
{
    private readonly List<double> _perTrace = [];
    private double _absolute;
    private double _squared;
    private long _values;
    private double _traceAbsolute;
    private long _traceValues;

    /// <summary>Mean absolute error in Mbit/s (NaN before any value).</summary>
    public double Mae => _values == 0 ? double.NaN : _absolute / _values;

    /// <summary>Root mean squared error in Mbit/s (NaN before any value).</summary>
    public double Rmse => _values == 0 ? double.NaN : Math.Sqrt(_squared / _values);

    /// <summary>Predicted values counted.</summary>
    public long Values => _values;

    /// <summary>MAE of every finished trace, in order.</summary>
    public IReadOnlyList<double> PerTrace => _perTrace;

    /// <summary>Adds one prediction and its truth (same length).</summary>
    /// <param name="predicted">Predicted throughputs.</param>
    /// <param name="actual">True throughputs.</param>
    public void Add(IReadOnlyList<float> predicted, IReadOnlyList<float> actual)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(actual);
        if (predicted.Count != actual.Count)
        {
            throw new ArgumentException($"prediction has {predicted.Count} values but the truth has {actual.Count}");
        }

        for (var i = 0; i < predicted.Count; i++)
        {
            var error = (double)predicted[i] - actual[i];
            _absolute += Math.Abs(error);
            _squared += error * error;
            _traceAbsolute += Math.Abs(error);
        }

        _values += predicted.Count;
        _traceValues += predicted.Count;
    }

    /// <summary>Closes the current trace (its MAE joins <see cref="PerTrace"/>).</summary>
    public void EndTrace()
    {
        if (_traceValues > 0)
        {
            _perTrace.Add(_traceAbsolute / _traceValues);
        }

        _traceAbsolute = 0;
        _traceValues = 0;
    }
}
