using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Tasks.AdaptiveBitrate.Model;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Running;

/// <summary>
/// Turns a policy argument of <c>netllm test --policy</c> into an ABR policy: a policy id is resolved through the
/// plugin registry; an existing directory is an adapted NetLLM run, loaded by the shared adaptation loop of NetLlm.Core
/// as a return-conditioned policy (inference options such as <c>argmax</c> and <c>original-context</c> come from the
/// request's arguments).
/// </summary>
public static class AbrPolicyResolver
{
    /// <summary>Creates the policy; the caller owns (disposes) it.</summary>
    /// <param name="policy">Policy id or run directory.</param>
    /// <param name="request">The verb's request (registry, seed, data root).</param>
    /// <param name="options">Effective options, passed to the policy (for example <c>argmax</c>).</param>
    public static IPolicy<AbrObservation, int> Create(string policy, TaskRequest request, IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Directory.Exists(policy))
        {
            return DecisionTaskVerbs.LoadPolicy(policy, new AbrTaskBinding(), request);
        }

        var provider = request.Registry.GetLegacyPolicy(policy);
        if (provider.TaskId != "abr")
        {
            throw new ArgumentException($"policy {policy} belongs to task '{provider.TaskId}', not abr");
        }

        var created = provider.Create(new PolicyRequest(request.Seed, request.DataRoot, options));
        if (created is IPolicy<AbrObservation, int> typed)
        {
            return typed;
        }

        (created as IDisposable)?.Dispose();
        throw new InvalidOperationException(
            $"policy {policy} created a {created.GetType().FullName}, which is not an IPolicy<AbrObservation, int> " +
            "(is its plugin built against another version of task.abr?)");
    }
}
