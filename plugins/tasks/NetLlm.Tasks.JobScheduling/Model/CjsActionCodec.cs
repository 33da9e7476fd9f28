using NetLlm.Abstractions.Tasks;

namespace NetLlm.Tasks.JobScheduling.Model;

/// <summary>
/// Splits a CJS action into the components of NetLLM's heads: [stage index among the schedulable stages, executor
/// index = executors − 1]. The "no stage" action (-1, used by Fair) becomes stage component
/// <see cref="CjsChoices.NoStage"/> with executor index 0. Executor counts above the job's commit cap (only the random
/// scheduler produces them) are recorded as the cap.
/// </summary>
public sealed class CjsActionCodec : IActionCodec<CjsObservation, CjsAction>
{
    /// <inheritdoc />
    public int[] ToComponents(CjsObservation observation, CjsAction action)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (action.StageIndex == -1)
        {
            return [CjsChoices.NoStage, 0];
        }

        if (action.StageIndex < 0 || action.StageIndex >= observation.SchedulableCount)
        {
            throw new ArgumentException($"action stage {action.StageIndex} is not among the {observation.SchedulableCount} schedulable stages");
        }

        if (action.StageIndex >= CjsChoices.MaxStages)
        {
            throw new ArgumentException($"action stage {action.StageIndex} is beyond the model's {CjsChoices.MaxStages} stage choices (the original's max_stage_num); such a step cannot be learned");
        }

        if (action.NumExecutors < 1)
        {
            throw new ArgumentException($"action executors {action.NumExecutors} must be at least 1");
        }

        var choices = CjsChoices.Executors(observation, action.StageIndex);
        return [action.StageIndex, Math.Min(action.NumExecutors, choices) - 1];
    }

    /// <inheritdoc />
    public CjsAction FromComponents(CjsObservation observation, int[] components)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(components);
        if (components.Length != 2)
        {
            throw new ArgumentException($"CJS actions have 2 components, got {components.Length}");
        }

        if (components[0] == CjsChoices.NoStage)
        {
            return CjsAction.None(observation);
        }

        var choices = CjsChoices.Executors(observation, components[0]);
        if (components[1] < 0 || components[1] >= choices)
        {
            throw new ArgumentException($"executor component {components[1]} is not in 0..{choices - 1} for stage {components[0]}");
        }

        return new CjsAction(components[0], components[1] + 1);
    }
}
