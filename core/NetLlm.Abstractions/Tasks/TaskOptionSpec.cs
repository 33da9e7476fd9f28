namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// A command-line option a task understands beyond the common ones. The CLI adds it to the verbs listed in
/// <see cref="Verbs"/> and passes its value through <see cref="TaskArguments"/>.
/// </summary>
/// <param name="Name">Option name without dashes, for example <c>traces</c>.</param>
/// <param name="Description">Help text.</param>
/// <param name="Kind">Value kind (flags take no value).</param>
/// <param name="Verbs">Verbs it applies to.</param>
public sealed record TaskOptionSpec(string Name, string Description, OptionKind Kind, IReadOnlyList<TaskVerb> Verbs);

/// <summary>Kind of value an option takes.</summary>
public enum OptionKind
{
    /// <summary>Free text or a path.</summary>
    Text,

    /// <summary>An integer.</summary>
    Integer,

    /// <summary>A real number.</summary>
    Real,

    /// <summary>A flag without value.</summary>
    Flag,
}
