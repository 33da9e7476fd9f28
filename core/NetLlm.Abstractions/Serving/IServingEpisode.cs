using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetLlm.Abstractions.Serving;

/// <summary>
/// The request stream of one session: every request body is read into the observation the policy decides on, after
/// the reward of what happened since the previous decision; the decided action is written back as JSON. Calls for one
/// episode never overlap (the host serialises a session's requests).
/// </summary>
/// <typeparam name="TObservation">The task's observation type.</typeparam>
/// <typeparam name="TAction">The task's action type.</typeparam>
public interface IServingEpisode<TObservation, TAction>
{
    /// <summary>Decisions answered so far (the next request's step number).</summary>
    int Steps { get; }

    /// <summary>
    /// Reads one request body. Checks every field before changing the episode, so a rejected request leaves the
    /// episode as it was; throws <see cref="ServingRequestException"/> naming the field that is missing, of the wrong
    /// type, out of range or out of order.
    /// </summary>
    /// <param name="body">The request body (a JSON value of any kind; a task usually wants an object).</param>
    ServedStep<TObservation> Read(JsonElement body);

    /// <summary>The action as the response's <c>action</c> value.</summary>
    /// <param name="observation">The observation the action was chosen for.</param>
    /// <param name="action">The policy's action.</param>
    JsonNode Write(TObservation observation, TAction action);
}
