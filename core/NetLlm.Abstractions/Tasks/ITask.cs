namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// A networking task as the host sees it: what it is called, what it measures, its named settings and the data it
/// needs. Task plugins implement one of the typed contracts — <see cref="IDecisionTask{TObservation, TAction, TOptions, TModelOptions}"/>
/// (an environment, learned offline from an experience pool) or
/// <see cref="IPredictionTask{TSample, TInput, TPrediction, TOptions, TModelOptions}"/> (a dataset, learned
/// supervised) — and the engine in NetLlm.Core runs every verb through it. Exported through MEF: any public class
/// implementing this interface in a plugin assembly is discovered.
/// </summary>
public interface ITask
{
    /// <summary>Id, title, kind, metric, default baselines and data.</summary>
    TaskInfo Info { get; }

    /// <summary>
    /// Named settings (typed presets of the task's options record, <see cref="TaskSetting{TOptions}"/>). The setting
    /// marked as default for a verb applies when no setting and no setting-defining option is given.
    /// </summary>
    IReadOnlyList<ITaskSetting> Settings { get; }
}
