namespace NetLlm.Reporting.Evaluation;

/// <summary>One run of an evaluation: a policy on a setting with a seed.</summary>
/// <param name="Policy">Policy id or adapted run directory.</param>
/// <param name="Setting">Setting name.</param>
/// <param name="Seed">Seed.</param>
public sealed record EvaluationCase(string Policy, string Setting, int Seed)
{
    /// <summary>
    /// True when the policy is an adapted run directory (an LLM with adapters: much heavier than a baseline), which
    /// the runner starts first so that the long runs do not end up alone at the end.
    /// </summary>
    public bool IsHeavy => Directory.Exists(Policy);
}
