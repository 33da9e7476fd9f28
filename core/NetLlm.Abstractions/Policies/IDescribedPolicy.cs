using System.Text.Json.Nodes;

namespace NetLlm.Abstractions.Policies;

/// <summary>Optional for a policy: facts about how it was built (epochs, seed, validation loss), reported with its results.</summary>
public interface IDescribedPolicy
{
    /// <summary>A new JSON object describing the policy.</summary>
    JsonObject Describe();
}
