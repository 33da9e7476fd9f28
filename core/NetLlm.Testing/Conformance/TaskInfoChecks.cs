using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Options;

namespace NetLlm.Testing.Conformance;

/// <summary>Checks of what a task declares: id, metric, settings and options records.</summary>
public static class TaskInfoChecks
{
    /// <summary>The id is lower-case, the metric named, every setting changes the task's options record, the options records have valid schemas.</summary>
    /// <param name="task">The task.</param>
    /// <param name="optionsType">Its options record.</param>
    /// <param name="modelOptionsType">Its model options record.</param>
    public static void Check(ITask task, Type optionsType, Type modelOptionsType)
    {
        ArgumentNullException.ThrowIfNull(task);
        var info = task.Info;
        if (string.IsNullOrWhiteSpace(info.Id) || info.Id != info.Id.ToLowerInvariant() || info.Id.Contains(' ', StringComparison.Ordinal))
        {
            throw new ConformanceException(nameof(TaskInfoChecks), $"task id '{info.Id}' must be lower case without spaces");
        }

        if (string.IsNullOrWhiteSpace(info.Metric.Name))
        {
            throw new ConformanceException(nameof(TaskInfoChecks), $"task {info.Id}: the metric has no name");
        }

        _ = OptionSchema.Of(optionsType);
        _ = OptionSchema.Of(modelOptionsType);
        var defaults = OptionSchema.Of(optionsType).CreateDefault();
        foreach (var setting in task.Settings)
        {
            if (setting.OptionsType != optionsType)
            {
                throw new ConformanceException(nameof(TaskInfoChecks), $"task {info.Id}: setting '{setting.Name}' changes {setting.OptionsType.Name}, not {optionsType.Name}");
            }

            if (setting.Apply(defaults) is null)
            {
                throw new ConformanceException(nameof(TaskInfoChecks), $"task {info.Id}: setting '{setting.Name}' returned null");
            }
        }

        var duplicate = task.Settings.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ConformanceException(nameof(TaskInfoChecks), $"task {info.Id}: setting '{duplicate.Key}' is declared twice");
        }
    }
}
