using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Tasks.JobScheduling.Adaptation;

namespace NetLlm.Tasks.JobScheduling.Definition;

/// <summary>Turns a policy argument (a policy id or an adapted run directory) into a CJS scheduler.</summary>
public static class CjsPolicyResolver
{
    /// <summary>
    /// Creates the policy named <paramref name="policy"/>; the caller owns (disposes) it. Policy options are the
    /// task arguments (so <c>argmax</c>, <c>executors</c> and weight paths reach the policy).
    /// </summary>
    /// <param name="policy">A policy id such as <c>cjs.fair</c>, or an adapted run directory (loaded by the shared loop).</param>
    /// <param name="request">The verb's request (registry, seed, data root).</param>
    /// <param name="arguments">Arguments merged with the setting.</param>
    public static IPolicy<CjsObservation, CjsAction> Create(string policy, TaskRequest request, TaskArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(arguments);
        if (Directory.Exists(policy))
        {
            // An adapted NetLLM run: the shared loop loads it as a return-conditioned policy.
            return DecisionTaskVerbs.LoadPolicy(policy, new CjsTaskBinding(), request);
        }

        var provider = request.Registry.GetLegacyPolicy(policy);
        if (provider.TaskId != "cjs")
        {
            throw new ArgumentException($"policy '{policy}' is for task '{provider.TaskId}', not cjs");
        }

        var created = provider.Create(new PolicyRequest(request.Seed, request.DataRoot, arguments.Values));
        if (created is IPolicy<CjsObservation, CjsAction> typed)
        {
            return typed;
        }

        (created as IDisposable)?.Dispose();
        throw new ArgumentException($"policy '{policy}' does not act on CJS observations (it created a {created.GetType().Name})");
    }
}
