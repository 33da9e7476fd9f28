using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Tasks.JobScheduling.Definition;
using NetLlm.Tasks.JobScheduling.Simulation;

namespace NetLlm.Tasks.JobScheduling.Adaptation;

/// <summary>
/// What the shared adaptation loop needs from CJS: the state codec, the split of an action into
/// [stage index among the schedulable stages, executor index = executors − 1], the model and the environment.
/// The "no stage" action (-1, used by Fair) becomes stage component <see cref="CjsModelSettings.NoStage"/> with
/// executor index 0. Executor counts above the job's commit cap (only the random scheduler produces them) are
/// recorded as the cap.
/// </summary>
public sealed class CjsTaskBinding : IDecisionTaskBinding<CjsObservation, CjsAction>
{
    /// <inheritdoc />
    public string TaskId => CjsTaskDefinition.TaskId;

    /// <inheritdoc />
    public IStateCodec<CjsObservation> StateCodec { get; } = new CjsObservationCodec();

    /// <inheritdoc />
    public int[] ToComponents(CjsObservation state, CjsAction action)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (action.StageIndex == -1)
        {
            return [CjsModelSettings.NoStage, 0];
        }

        if (action.StageIndex < 0 || action.StageIndex >= state.SchedulableCount)
        {
            throw new ArgumentException($"action stage {action.StageIndex} is not among the {state.SchedulableCount} schedulable stages");
        }

        if (action.StageIndex >= CjsModelSettings.MaxStages)
        {
            throw new ArgumentException($"action stage {action.StageIndex} is beyond the model's {CjsModelSettings.MaxStages} stage choices (the original's max_stage_num); such a step cannot be learned");
        }

        if (action.NumExecutors < 1)
        {
            throw new ArgumentException($"action executors {action.NumExecutors} must be at least 1");
        }

        var choices = CjsDecisionModel.ExecutorChoices(state, action.StageIndex);
        return [action.StageIndex, Math.Min(action.NumExecutors, choices) - 1];
    }

    /// <inheritdoc />
    public CjsAction FromComponents(CjsObservation state, int[] components)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(components);
        if (components.Length != 2)
        {
            throw new ArgumentException($"CJS actions have 2 components, got {components.Length}");
        }

        if (components[0] == CjsModelSettings.NoStage)
        {
            return CjsAction.None(state);
        }

        var choices = CjsDecisionModel.ExecutorChoices(state, components[0]);
        if (components[1] < 0 || components[1] >= choices)
        {
            throw new ArgumentException($"executor component {components[1]} is not in 0..{choices - 1} for stage {components[0]}");
        }

        return new CjsAction(components[0], components[1] + 1);
    }

    /// <inheritdoc />
    public IDecisionModel<CjsObservation> CreateModel(int embeddingDim, IReadOnlyDictionary<string, string> settings) =>
        new CjsDecisionModel(embeddingDim, CjsModelSettings.Parse(settings));

    /// <inheritdoc />
    public IEnvironment<CjsObservation, CjsAction> CreateEnvironment(TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new SparkSchedulingEnvironment(CjsTaskDefinition.Catalog(request), CjsSettings.ToOptions(request.Arguments));
    }
}
