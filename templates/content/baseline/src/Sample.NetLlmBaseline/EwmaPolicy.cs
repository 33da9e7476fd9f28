using System.Globalization;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using Sample.NetLlmPredictionTask;
using Sample.NetLlmPredictionTask.Data;

namespace Sample.NetLlmBaseline;

/// <summary>Options of <c>sample-bw.ewma</c> (command line: <c>--alpha</c>).</summary>
public sealed record EwmaOptions
{
    /// <summary>Weight of the newest sample, in (0, 1]; 1 predicts the last value.</summary>
    [Option("weight of the newest throughput sample, in (0, 1]", Minimum = 1e-6, Maximum = 1)]
    public double Alpha { get; init; } = 0.5;
}

/// <summary>
/// Predicts the next throughputs as the exponentially weighted moving average of the history (oldest first):
/// <c>e = x0; e = alpha * x + (1 - alpha) * e</c> for each later sample, repeated over the task's horizon.
/// </summary>
public sealed class EwmaPolicy : IPolicy<ThroughputHistory, ThroughputForecast>, IBatchPolicy<ThroughputHistory, ThroughputForecast>
{
    /// <summary>The policy id, <c>&lt;task&gt;.&lt;algorithm&gt;</c>.</summary>
    public const string PolicyId = ThroughputConstants.TaskId + ".ewma";

    private readonly double _alpha;

    /// <summary>Creates the policy.</summary>
    /// <param name="options">Options.</param>
    public EwmaPolicy(EwmaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Alpha is <= 0 or > 1)
        {
            throw new ArgumentException($"{PolicyId}: alpha {options.Alpha.ToString(CultureInfo.InvariantCulture)} must be in (0, 1]");
        }

        _alpha = options.Alpha;
    }

    /// <inheritdoc />
    public string Id => PolicyId;

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public ThroughputForecast Act(ThroughputHistory observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var history = observation.Mbps;
        if (history.Length == 0)
        {
            throw new ArgumentException($"{Id}: the history holds no throughput sample");
        }

        double estimate = history[0];
        for (var i = 1; i < history.Length; i++)
        {
            estimate = (_alpha * history[i]) + ((1 - _alpha) * estimate);
        }

        return new ThroughputForecast(Enumerable.Repeat((float)estimate, ThroughputConstants.Horizon).ToArray());
    }

    /// <inheritdoc />
    public IReadOnlyList<ThroughputForecast> ActBatch(IReadOnlyList<ThroughputHistory> observations) => observations.Select(Act).ToList();

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

/// <summary>Provides <see cref="EwmaPolicy"/> as <c>sample-bw.ewma</c> with typed options.</summary>
public sealed class EwmaPolicyProvider : IPolicyProvider<ThroughputHistory, ThroughputForecast, EwmaOptions>
{
    /// <inheritdoc />
    public string Id => EwmaPolicy.PolicyId;

    /// <inheritdoc />
    public string TaskId => ThroughputConstants.TaskId;

    /// <inheritdoc />
    public string Description => "Exponentially weighted moving average of the throughput history, repeated over the horizon";

    /// <inheritdoc />
    public IPolicy<ThroughputHistory, ThroughputForecast> Create(PolicyContext context, EwmaOptions options) => new EwmaPolicy(options);
}
