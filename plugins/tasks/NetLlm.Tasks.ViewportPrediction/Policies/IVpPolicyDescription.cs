using System.Text.Json.Nodes;

namespace NetLlm.Tasks.ViewportPrediction.Policies;

/// <summary>
/// Optional for a viewport policy: facts about how it was built (a trained model's epochs, seed, validation loss),
/// reported as <c>policy_info</c> in the test JSON.
/// </summary>
public interface IVpPolicyDescription
{
    /// <summary>A new JSON object describing the policy.</summary>
    JsonObject Describe();
}
