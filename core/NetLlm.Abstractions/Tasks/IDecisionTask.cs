using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Models;

namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// A decision task (ABR, CJS): an environment in Gymnasium's shape with typed observations and actions, its metric,
/// how its states and actions are stored in experience pools, and the NetLLM model it is adapted with (the encoders
/// that turn an observation into tokens and the heads that answer a valid action). The engine runs collect, adapt,
/// test and eval through it; the returns it learns from are the environment's rewards.
/// </summary>
/// <typeparam name="TObservation">Observation type (plain managed data).</typeparam>
/// <typeparam name="TAction">Action type.</typeparam>
/// <typeparam name="TOptions">The task's options record (environment and data; see <see cref="Options.OptionAttribute"/>).</typeparam>
/// <typeparam name="TModelOptions">Options of the task's NetLLM model (recorded in the run directory).</typeparam>
public interface IDecisionTask<TObservation, TAction, TOptions, TModelOptions> : ITask
    where TOptions : class, new()
    where TModelOptions : class, new()
{
    /// <summary>How the engine runs episodes (for example the original ABR test loop's last call).</summary>
    EpisodeProtocol Protocol { get; }

    /// <summary>How observations are stored in experience pools.</summary>
    IStateCodec<TObservation> States { get; }

    /// <summary>How actions split into head components.</summary>
    IActionCodec<TObservation, TAction> Actions { get; }

    /// <summary>Creates the environment for resolved options; the caller owns (disposes) it.</summary>
    /// <param name="options">The options (setting applied, command line merged, validated).</param>
    /// <param name="context">Data root, seed, cancellation.</param>
    IEnvironment<TObservation, TAction> CreateEnvironment(TOptions options, TaskContext context);

    /// <summary>Episodes one run takes with these options (per policy when collecting), for example one per trace.</summary>
    /// <param name="options">The options.</param>
    /// <param name="environment">The environment created from them.</param>
    int Episodes(TOptions options, IEnvironment<TObservation, TAction> environment);

    /// <summary>Creates the scorer of one run.</summary>
    /// <param name="options">The options.</param>
    /// <param name="context">What is scored (policy, setting, seed, results folder).</param>
    IRunScorer<TObservation, TAction> CreateScorer(TOptions options, ScoringContext context);

    /// <summary>The NetLLM model for these model options: encoder slots, heads and the tokenizer.</summary>
    /// <param name="options">Model options.</param>
    DecisionModelDesign<TObservation> DesignModel(TModelOptions options);
}
