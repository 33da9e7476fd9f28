using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using Sample.NetLlmDecisionTask.Environment;

namespace Sample.NetLlmDecisionTask.Policies;

/// <summary>Options of <c>sample-link.greedy</c> (command line: <c>--margin</c>, <c>--lookback</c>).</summary>
public sealed record GreedyOptions
{
    /// <summary>Switch only when another link's recent mean beats the current link's by this fraction.</summary>
    [Option("switch only when another link's recent mean capacity beats the current one's by this fraction", Minimum = 0, Maximum = 10)]
    public double Margin { get; init; } = 0.2;

    /// <summary>Past steps averaged per link.</summary>
    [Option("past steps averaged per link", Minimum = 1, Maximum = LinkConstants.History)]
    public int Lookback { get; init; } = 2;
}

/// <summary>
/// The greedy baseline: the link with the highest mean capacity over the last <c>lookback</c> steps, but it stays on
/// the current link unless the best one is better by more than <c>margin</c> (switching costs part of a step).
/// Deterministic and stateless.
/// </summary>
/// <param name="options">Options.</param>
public sealed class GreedyLinkPolicy(GreedyOptions options) : IPolicy<LinkObservation, int>
{
    /// <summary>The policy id.</summary>
    public const string PolicyId = LinkConstants.TaskId + ".greedy";

    /// <inheritdoc />
    public string Id => PolicyId;

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public int Act(LinkObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var means = new double[LinkConstants.Links];
        for (var link = 0; link < LinkConstants.Links; link++)
        {
            for (var back = 1; back <= options.Lookback; back++)
            {
                means[link] += observation.Capacity(link, back) / options.Lookback;
            }
        }

        var best = Array.IndexOf(means, means.Max());
        return means[best] > means[observation.Current] * (1 + options.Margin) ? best : observation.Current;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

/// <summary>Provides <see cref="GreedyLinkPolicy"/> as <c>sample-link.greedy</c>.</summary>
public sealed class GreedyLinkPolicyProvider : IPolicyProvider<LinkObservation, int, GreedyOptions>
{
    /// <inheritdoc />
    public string Id => GreedyLinkPolicy.PolicyId;

    /// <inheritdoc />
    public string TaskId => LinkConstants.TaskId;

    /// <inheritdoc />
    public string Description => "Best recent mean capacity, switching only when better by a margin";

    /// <inheritdoc />
    public IPolicy<LinkObservation, int> Create(PolicyContext context, GreedyOptions options) => new GreedyLinkPolicy(options);
}
