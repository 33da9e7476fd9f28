using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using Sample.NetLlmPredictionTask.Data;

namespace Sample.NetLlmPredictionTask.Policies;

/// <summary>The simplest predictor: every future throughput equals the last one seen.</summary>
public sealed class LastValuePolicy : IPolicy<ThroughputHistory, ThroughputForecast>, IBatchPolicy<ThroughputHistory, ThroughputForecast>
{
    /// <summary>The policy id.</summary>
    public const string PolicyId = ThroughputConstants.TaskId + ".last-value";

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
        return observation.Mbps.Length == 0
            ? throw new ArgumentException($"{Id}: the history holds no sample")
            : new ThroughputForecast(Enumerable.Repeat(observation.Mbps[^1], ThroughputConstants.Horizon).ToArray());
    }

    /// <inheritdoc />
    public IReadOnlyList<ThroughputForecast> ActBatch(IReadOnlyList<ThroughputHistory> observations) => observations.Select(Act).ToList();

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

/// <summary>Provides <see cref="LastValuePolicy"/> as <c>sample-bw.last-value</c> (no options).</summary>
public sealed class LastValuePolicyProvider : IPolicyProvider<ThroughputHistory, ThroughputForecast, NoOptions>
{
    /// <inheritdoc />
    public string Id => LastValuePolicy.PolicyId;

    /// <inheritdoc />
    public string TaskId => ThroughputConstants.TaskId;

    /// <inheritdoc />
    public string Description => "The last throughput seen, repeated over the horizon";

    /// <inheritdoc />
    public IPolicy<ThroughputHistory, ThroughputForecast> Create(PolicyContext context, NoOptions options) => new LastValuePolicy();
}
