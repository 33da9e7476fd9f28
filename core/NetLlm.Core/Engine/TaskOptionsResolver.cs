using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Options;

namespace NetLlm.Core.Engine;

/// <summary>A task's options resolved for one run, and the name of the setting they came from.</summary>
/// <param name="Options">The options record.</param>
/// <param name="Setting">The setting's name, or <c>custom</c> when the options alone describe the run.</param>
public sealed record ResolvedOptions(object Options, string Setting);

/// <summary>
/// Resolves a task's options for a verb: the record's defaults, then the configuration's values for the task, then the
/// setting (the one named; else, unless an option that some setting defines was given, the verb's default setting),
/// then the values given on the command line. Errors name the setting or option.
/// </summary>
public static class TaskOptionsResolver
{
    /// <summary>Name reported when no setting applies.</summary>
    public const string Custom = "custom";

    /// <summary>Resolves the options.</summary>
    /// <param name="task">The task.</param>
    /// <param name="optionsType">The task's options record type.</param>
    /// <param name="verb">The verb being run.</param>
    /// <param name="setting">The setting named on the command line, or null.</param>
    /// <param name="configured">Values from the configuration file.</param>
    /// <param name="given">Values given on the command line.</param>
    public static ResolvedOptions Resolve(ITask task, Type optionsType, VerbScope verb, string? setting, IEnumerable<OptionInput> configured, IEnumerable<OptionInput> given)
    {
        ArgumentNullException.ThrowIfNull(task);
        var schema = OptionSchema.Of(optionsType);
        var givenList = given.ToList();
        var options = schema.Apply(schema.CreateDefault(), configured);
        var chosen = Choose(task, schema, verb, setting, givenList);
        if (chosen is not null)
        {
            options = chosen.Apply(options);
        }

        options = schema.Apply(options, givenList);
        return new ResolvedOptions(options, chosen?.Name ?? Custom);
    }

    /// <summary>The setting named <paramref name="name"/>; throws <see cref="ArgumentException"/> listing the task's settings.</summary>
    /// <param name="task">The task.</param>
    /// <param name="name">Setting name.</param>
    public static ITaskSetting Setting(ITask task, string name)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Settings.FirstOrDefault(s => s.Name == name)
            ?? throw new ArgumentException(task.Settings.Count == 0
                ? $"task '{task.Info.Id}' has no settings; setting '{name}' cannot apply"
                : $"task '{task.Info.Id}' has no setting '{name}'; settings: {string.Join(", ", task.Settings.Select(s => s.Name))}");
    }

    /// <summary>The setting a verb uses when none is named: the one marked default for it, else the first.</summary>
    /// <param name="task">The task.</param>
    /// <param name="verb">The verb.</param>
    public static ITaskSetting? DefaultSetting(ITask task, VerbScope verb)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Settings.FirstOrDefault(s => (s.DefaultFor & verb) != 0) ?? task.Settings.FirstOrDefault();
    }

    /// <summary>Options that some setting of the task changes (giving one of them without a setting means a custom run).</summary>
    /// <param name="task">The task.</param>
    /// <param name="optionsType">The task's options record type.</param>
    public static IReadOnlySet<string> SettingDefined(ITask task, Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(task);
        var schema = OptionSchema.Of(optionsType);
        var defaults = schema.CreateDefault();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var setting in task.Settings)
        {
            var changed = setting.Apply(defaults);
            foreach (var field in schema.Fields)
            {
                if (!OptionSchema.ValuesEqual(field.Property.GetValue(defaults), field.Property.GetValue(changed)))
                {
                    names.Add(field.Name);
                }
            }
        }

        return names;
    }

    private static ITaskSetting? Choose(ITask task, OptionSchema schema, VerbScope verb, string? setting, List<OptionInput> given)
    {
        if (setting is not null)
        {
            var named = Setting(task, setting);
            if (named.OptionsType != schema.Type)
            {
                throw new InvalidOperationException($"task '{task.Info.Id}': setting '{named.Name}' changes {named.OptionsType.Name}, not the task's {schema.Type.Name}");
            }

            return named;
        }

        var defined = SettingDefined(task, schema.Type);
        return given.Any(g => defined.Contains(g.Name)) ? null : DefaultSetting(task, verb);
    }
}
