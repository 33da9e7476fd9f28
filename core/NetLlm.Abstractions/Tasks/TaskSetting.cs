using NetLlm.Abstractions.Options;

namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// A named setting of a task (the paper's default and unseen settings): a typed preset of the task's options record,
/// written as a change of it, for example <c>o =&gt; o with { Traces = FccTest, Deterministic = true }</c>. Options the
/// preset does not change keep their configured values; options given on the command line override the preset.
/// </summary>
/// <typeparam name="TOptions">The task's options record.</typeparam>
/// <param name="Name">Name used with <c>--setting</c>.</param>
/// <param name="Description">What it changes.</param>
/// <param name="Change">The change it makes to an options record.</param>
public sealed record TaskSetting<TOptions>(string Name, string Description, Func<TOptions, TOptions> Change) : ITaskSetting
    where TOptions : class
{
    /// <inheritdoc />
    public VerbScope DefaultFor { get; init; }

    /// <inheritdoc />
    public Type OptionsType => typeof(TOptions);

    /// <inheritdoc />
    public object Apply(object options) => Change((TOptions)options);
}
