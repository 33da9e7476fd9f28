using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;

namespace Sample.NetLlmTask.Policies;

/// <summary>Resolves the <c>--policy</c> values of a verb: adapted run directories or policy ids of this task.</summary>
public static class ThroughputPolicies
{
    /// <summary>
    /// Creates the policy named <paramref name="policy"/>: an existing directory is an adapted run; anything else is a
    /// policy id looked up in the registry (this plugin's baselines or another plugin's for this task id). The caller
    /// disposes the result.
    /// </summary>
    /// <param name="request">The request (registry, seed, data root).</param>
    /// <param name="arguments">The task options, passed to the policy as its options.</param>
    /// <param name="policy">Policy id or run directory.</param>
    /// <param name="horizon">Values per prediction.</param>
    public static IPolicy<float[], float[]> Create(TaskRequest request, TaskArguments arguments, string policy, int horizon)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(arguments);
        if (Directory.Exists(policy))
        {
            return AdaptedThroughputPolicy.Load(policy, request, horizon);
        }

        var provider = request.Registry.GetLegacyPolicy(policy);
        if (provider.TaskId != ThroughputTask.TaskId)
        {
            throw new ArgumentException($"policy {policy} is for task '{provider.TaskId}', not '{ThroughputTask.TaskId}'");
        }

        var created = provider.Create(new PolicyRequest(request.Seed, request.DataRoot, arguments.Values));
        if (created is IPolicy<float[], float[]> typed)
        {
            return typed;
        }

        (created as IDisposable)?.Dispose();
        throw new InvalidOperationException($"policy {policy} created a {created.GetType().FullName}, which is not an IPolicy<float[], float[]>");
    }
}
