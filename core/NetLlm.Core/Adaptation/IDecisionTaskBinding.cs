using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// What a decision task gives the shared machinery (experience collection, offline adaptation, testing of adapted
/// runs): how to store its states, how its actions split into components, how to build its model and environments.
/// </summary>
/// <typeparam name="TState">Observation type of the environment.</typeparam>
/// <typeparam name="TAction">Action type of the environment.</typeparam>
public interface IDecisionTaskBinding<TState, TAction> : IActionCodec<TState, TAction>
{
    /// <summary>Task id.</summary>
    string TaskId { get; }

    /// <summary>Stores and restores states in experience pools.</summary>
    IStateCodec<TState> StateCodec { get; }

    /// <summary>
    /// Creates the task's encoders and heads for a backbone of width <paramref name="embeddingDim"/>. The settings
    /// are recorded in the run directory and passed again when the run is loaded.
    /// </summary>
    /// <param name="embeddingDim">Backbone hidden size.</param>
    /// <param name="settings">Model settings (task-specific, for example encoder widths).</param>
    IDecisionModel<TState> CreateModel(int embeddingDim, IReadOnlyDictionary<string, string> settings);

    /// <summary>Creates the environment for a setting (options already merged with the setting's values).</summary>
    /// <param name="request">The verb's request (data root, seed, options).</param>
    IEnvironment<TState, TAction> CreateEnvironment(TaskRequest request);
}
