using System.Globalization;
using NetLlm.Abstractions.Policies;

namespace Sample.NetLlmBaseline;

/// <summary>
/// Provides <see cref="EwmaPolicy"/> as <c>sample-bw.ewma</c> for task <c>sample-bw</c>. The task passes its options
/// to the policy: <c>horizon</c> (default 1) sets the prediction length.
/// </summary>
public sealed class EwmaPolicyProvider : ILegacyPolicyProvider
{
    /// <summary>The task the policy acts in.</summary>
    public const string TargetTaskId = "sample-bw";

    /// <summary>The policy id, <c>&lt;task&gt;.&lt;name&gt;</c>.</summary>
    public const string PolicyId = TargetTaskId + ".ewma";

    /// <inheritdoc />
    public string Id => PolicyId;

    /// <inheritdoc />
    public string TaskId => TargetTaskId;

    /// <inheritdoc />
    public string Description => "Exponentially weighted moving average of the throughput history (alpha 0.5), repeated over the horizon";

    /// <inheritdoc />
    public Type ObservationType => typeof(float[]);

    /// <inheritdoc />
    public Type ActionType => typeof(float[]);

    /// <inheritdoc />
    public object Create(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var horizon = 1;
        if (request.Options.TryGetValue("horizon", out var text)
            && (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out horizon) || horizon < 1))
        {
            throw new ArgumentException($"option --horizon: '{text}' is not a positive integer");
        }

        return new EwmaPolicy(horizon);
    }
}
