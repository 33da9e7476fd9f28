using NetLlm.Abstractions.Tasks;

namespace NetLlm.Core.Engine;

/// <summary>
/// The type arguments a task implements its typed contract with: a decision task's observation, action, options and
/// model options, or a prediction task's sample, input, prediction, options and model options. The engine dispatches
/// every verb through them.
/// </summary>
public sealed class TaskShape
{
    private TaskShape(ITask task, TaskKind kind, Type contract, Type[] arguments)
    {
        Task = task;
        Kind = kind;
        Contract = contract;
        Arguments = arguments;
    }

    /// <summary>The task.</summary>
    public ITask Task { get; }

    /// <summary>Decision or prediction.</summary>
    public TaskKind Kind { get; }

    /// <summary>The closed contract interface it implements.</summary>
    public Type Contract { get; }

    /// <summary>The contract's type arguments.</summary>
    public IReadOnlyList<Type> Arguments { get; }

    /// <summary>The task's options record type.</summary>
    public Type OptionsType => Kind == TaskKind.Decision ? Arguments[2] : Arguments[3];

    /// <summary>The task's model options record type.</summary>
    public Type ModelOptionsType => Kind == TaskKind.Decision ? Arguments[3] : Arguments[4];

    /// <summary>What a policy of this task observes (decision: the observation; prediction: the input).</summary>
    public Type PolicyObservationType => Kind == TaskKind.Decision ? Arguments[0] : Arguments[1];

    /// <summary>What a policy of this task answers (decision: the action; prediction: the prediction).</summary>
    public Type PolicyActionType => Kind == TaskKind.Decision ? Arguments[1] : Arguments[2];

    /// <summary>The task's id.</summary>
    public string Id => Task.Info.Id;

    /// <summary>
    /// The shape of <paramref name="task"/>; throws <see cref="InvalidOperationException"/> naming the task when it
    /// implements neither typed contract, both, or one that disagrees with <see cref="TaskInfo.Kind"/>.
    /// </summary>
    /// <param name="task">A task.</param>
    public static TaskShape Of(ITask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var contracts = task.GetType().GetInterfaces()
            .Where(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IDecisionTask<,,,>) || i.GetGenericTypeDefinition() == typeof(IPredictionTask<,,,,>)))
            .ToList();
        var name = $"task '{task.Info.Id}' ({task.GetType().FullName})";
        if (contracts.Count != 1)
        {
            throw new InvalidOperationException(contracts.Count == 0
                ? $"{name} implements neither IDecisionTask<TObservation, TAction, TOptions, TModelOptions> nor IPredictionTask<TSample, TInput, TPrediction, TOptions, TModelOptions>"
                : $"{name} implements {contracts.Count} task contracts; a task implements exactly one");
        }

        var contract = contracts[0];
        var kind = contract.GetGenericTypeDefinition() == typeof(IDecisionTask<,,,>) ? TaskKind.Decision : TaskKind.Prediction;
        if (kind != task.Info.Kind)
        {
            throw new InvalidOperationException($"{name} declares kind {task.Info.Kind} but implements the {kind} contract");
        }

        return new TaskShape(task, kind, contract, contract.GetGenericArguments());
    }
}
