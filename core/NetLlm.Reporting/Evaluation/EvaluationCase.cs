using NetLlm.Abstractions.Tasks;

namespace NetLlm.Reporting.Evaluation;

/// <summary>
/// One Test run to do: a policy on a setting with a seed, and the request that runs it (its <see cref="TaskRequest.Policies"/>
/// holds exactly that policy, its <see cref="TaskRequest.Seed"/> that seed, its arguments the setting merged in).
/// </summary>
/// <param name="Policy">Policy id or adapted run directory.</param>
/// <param name="Setting">Setting name (as reported).</param>
/// <param name="Seed">Seed.</param>
/// <param name="Request">The Test request.</param>
public sealed record EvaluationCase(string Policy, string Setting, int Seed, TaskRequest Request)
{
    /// <summary>
    /// True when the policy is an adapted run directory (an LLM with adapters: much heavier than a baseline), which
    /// the runner starts first so that the long runs do not end up alone at the end.
    /// </summary>
    public bool IsHeavy => Directory.Exists(Policy);
}
