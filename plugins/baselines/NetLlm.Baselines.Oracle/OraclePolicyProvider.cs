using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.AdaptiveBitrate.Settings;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.Oracle;

/// <summary>Creates <c>abr.oracle</c> over the scenario of the run's own options (deterministic settings only).</summary>
public sealed class OraclePolicyProvider : IPolicyProvider<AbrObservation, int, OracleOptions>
{
    /// <inheritdoc/>
    public string Id => "abr.oracle";

    /// <inheritdoc/>
    public string TaskId => "abr";

    /// <inheritdoc/>
    public string Description => "Offline oracle: the bitrate plan found with the trace's whole future known (a reference, not a causal policy)";

    /// <inheritdoc/>
    public IPolicy<AbrObservation, int> Create(PolicyContext context, OracleOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var abr = context.TaskOptions as AbrOptions
            ?? throw new ArgumentException("abr.oracle needs the abr task's options to rebuild the scenario it plans on");
        var scenario = AbrScenarioLoader.Load(abr, context.Task);
        if (!scenario.Deterministic)
        {
            throw new ArgumentException(
                $"abr.oracle plans with the future known, but this setting draws random delay noise ({scenario.Name}): use a deterministic setting (default, unseen-1..3, valid, synthetic) or --deterministic");
        }

        return new OraclePolicy(scenario, options.OracleBufferStep, context.Task.Cancellation);
    }
}
