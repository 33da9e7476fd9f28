using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using Sample.NetLlmDecisionTask.Environment;

namespace Sample.NetLlmDecisionTask.Policies;

/// <summary>A uniformly random link every step (seeded by the run's seed): a weak behaviour policy for experience pools.</summary>
/// <param name="seed">Seed of the policy's random stream.</param>
public sealed class RandomLinkPolicy(int seed) : IPolicy<LinkObservation, int>
{
    /// <summary>The policy id.</summary>
    public const string PolicyId = LinkConstants.TaskId + ".random";

    private readonly Random _random = new(seed);

    /// <inheritdoc />
    public string Id => PolicyId;

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public int Act(LinkObservation observation) => _random.Next(LinkConstants.Links);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

/// <summary>Provides <see cref="RandomLinkPolicy"/> as <c>sample-link.random</c> (no options).</summary>
public sealed class RandomLinkPolicyProvider : IPolicyProvider<LinkObservation, int, NoOptions>
{
    /// <inheritdoc />
    public string Id => RandomLinkPolicy.PolicyId;

    /// <inheritdoc />
    public string TaskId => LinkConstants.TaskId;

    /// <inheritdoc />
    public string Description => "A uniformly random link every step";

    /// <inheritdoc />
    public IPolicy<LinkObservation, int> Create(PolicyContext context, NoOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new RandomLinkPolicy(context.Seed);
    }
}
