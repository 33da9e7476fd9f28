using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Options;

namespace NetLlm.Core.Engine;

/// <summary>
/// Turns a policy argument into a typed policy, once for every task and verb: an existing directory is an adapted run
/// (loaded by the engine), anything else a policy id of a loaded plugin, checked to act in the task's environment and
/// created with its options record (defaults, then the values given by name).
/// </summary>
public static class PolicyResolver
{
    /// <summary>Creates the policy; the caller owns (disposes) it.</summary>
    /// <typeparam name="TObservation">The task's policy observation type.</typeparam>
    /// <typeparam name="TAction">The task's policy action type.</typeparam>
    /// <param name="policy">Policy id or run directory.</param>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="task">The task.</param>
    /// <param name="context">Seed, data root, cancellation (the policy's random stream is seeded with its seed).</param>
    /// <param name="taskOptions">The task's resolved options record.</param>
    /// <param name="policyOptions">Policy option values by name (each applies where the policy's record has it).</param>
    /// <param name="loadRun">Loads an adapted run directory as a policy.</param>
    public static IPolicy<TObservation, TAction> Create<TObservation, TAction>(
        string policy,
        IPluginRegistry registry,
        ITask task,
        TaskContext context,
        object taskOptions,
        IReadOnlyList<OptionInput> policyOptions,
        Func<string, IPolicy<TObservation, TAction>> loadRun)
    {
        ArgumentException.ThrowIfNullOrEmpty(policy);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(loadRun);
        if (Directory.Exists(policy))
        {
            return loadRun(policy);
        }

        var taskId = task.Info.Id;
        var provider = registry.Policies.FirstOrDefault(p => p.Id == policy);
        if (provider is null)
        {
            var own = registry.Policies.Where(p => p.TaskId == taskId).Select(p => p.Id).ToList();
            throw new ArgumentException(
                $"unknown policy '{policy}' for task '{taskId}': not an adapted run directory and not a policy id; " +
                (own.Count > 0 ? $"policies of {taskId}: {string.Join(", ", own)}" : $"no loaded plugin provides a policy for {taskId} (see `netllm plugins`)"));
        }

        if (provider.TaskId != taskId)
        {
            throw new ArgumentException($"policy '{policy}' belongs to task '{provider.TaskId}', not '{taskId}'");
        }

        if (provider.ObservationType != typeof(TObservation) || provider.ActionType != typeof(TAction))
        {
            throw new InvalidOperationException(
                $"policy '{policy}' acts on {provider.ObservationType.FullName} -> {provider.ActionType.FullName}, but task '{taskId}' uses {typeof(TObservation).FullName} -> {typeof(TAction).FullName} (is its plugin built against another version of the task?)");
        }

        var missing = provider.RequiredData.Where(path => context.DataRoot is null || !File.Exists(Path.Combine(context.DataRoot, path))).ToList();
        if (missing.Count > 0)
        {
            // No data root is a configuration error (exit 2); a file missing under a configured root is a data error (exit 1).
            if (context.DataRoot is null)
            {
                throw new ArgumentException($"policy '{policy}' needs {string.Join(", ", missing)} under a data root: {context.MissingDataRoot}");
            }

            throw new FileNotFoundException($"policy '{policy}' needs {string.Join(", ", missing.Select(m => Path.Combine(context.DataRoot, m)))}, which is missing (`netllm data fetch` gets it)");
        }

        var schema = OptionSchema.Of(provider.OptionsType);
        var options = schema.Apply(schema.CreateDefault(), policyOptions.Where(o => schema.Find(o.Name) is not null));
        var created = provider.Create(new PolicyContext(context, taskOptions), options);
        if (created is IPolicy<TObservation, TAction> typed)
        {
            return typed;
        }

        (created as IDisposable)?.Dispose();
        throw new InvalidOperationException($"policy provider '{policy}' created a {created.GetType().FullName}, which is not an IPolicy<{typeof(TObservation).Name}, {typeof(TAction).Name}>");
    }

    /// <summary>The policy ids of a task that are usable with the data root (their required files exist).</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="taskId">Task id.</param>
    /// <param name="dataRoot">Data root, or null.</param>
    public static IReadOnlyList<string> Available(IPluginRegistry registry, string taskId, string? dataRoot)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Policies
            .Where(p => p.TaskId == taskId && p.RequiredData.All(path => dataRoot is not null && File.Exists(Path.Combine(dataRoot, path))))
            .Select(p => p.Id)
            .ToList();
    }
}
