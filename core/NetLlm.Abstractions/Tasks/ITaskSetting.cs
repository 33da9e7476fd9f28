using NetLlm.Abstractions.Options;

namespace NetLlm.Abstractions.Tasks;

/// <summary>A named setting of a task, as the host sees it (the typed form is <see cref="TaskSetting{TOptions}"/>).</summary>
public interface ITaskSetting
{
    /// <summary>Name used with <c>--setting</c>, for example <c>default</c> or <c>unseen-1</c>.</summary>
    string Name { get; }

    /// <summary>What it changes.</summary>
    string Description { get; }

    /// <summary>Verbs for which this setting applies when no <c>--setting</c> is given.</summary>
    VerbScope DefaultFor { get; }

    /// <summary>Type of the options record it changes.</summary>
    Type OptionsType { get; }

    /// <summary>Applies the setting to an options record of <see cref="OptionsType"/> (returns a changed copy).</summary>
    /// <param name="options">Options (not changed).</param>
    object Apply(object options);
}
