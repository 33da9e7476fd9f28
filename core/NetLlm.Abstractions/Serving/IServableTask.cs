using NetLlm.Abstractions.Tasks;

namespace NetLlm.Abstractions.Serving;

/// <summary>
/// Optional for a decision task: its policies can answer a real client over a request protocol (<c>netllm serve</c>).
/// The task turns one playback's (or flow's, or job's) successive JSON request bodies into its observations and
/// rewards, and its actions into JSON; the host keeps the sessions, the policies and the HTTP part and knows no task.
/// </summary>
/// <typeparam name="TObservation">The task's observation type.</typeparam>
/// <typeparam name="TAction">The task's action type.</typeparam>
/// <typeparam name="TOptions">The task's options record.</typeparam>
public interface IServableTask<TObservation, TAction, in TOptions>
    where TOptions : class
{
    /// <summary>
    /// Creates the protocol for a server's lifetime from the resolved options (for example the video whose future
    /// chunk sizes look-ahead policies plan with). Errors name the options, as the task's other verbs do.
    /// </summary>
    /// <param name="options">The task's resolved options (the test verb's rules).</param>
    /// <param name="context">Data root and seed.</param>
    IServingProtocol<TObservation, TAction> CreateServing(TOptions options, TaskContext context);
}
