using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.Bba;

/// <summary>Provides <see cref="BbaPolicy"/> as <c>abr.bba</c> (no options).</summary>
public sealed class BbaPolicyProvider : IPolicyProvider<AbrObservation, int, NoOptions>
{
    /// <inheritdoc />
    public string Id => "abr.bba";

    /// <inheritdoc />
    public string TaskId => "abr";

    /// <inheritdoc />
    public string Description => "Buffer-based adaptation (reservoir 5 s, cushion 10 s)";

    /// <inheritdoc />
    public IPolicy<AbrObservation, int> Create(PolicyContext context, NoOptions options) => new BbaPolicy();
}
