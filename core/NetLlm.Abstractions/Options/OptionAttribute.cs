namespace NetLlm.Abstractions.Options;

/// <summary>
/// Marks a property of an options record (a task's, a policy's, an encoder's or the engine's) as a command-line and
/// configuration option. The host builds one typed command-line option per marked property: its name is the
/// property name in kebab case (or <see cref="Name"/>), its type the property type, its default the value the
/// property has in <c>new TOptions()</c>, its range <see cref="Minimum"/>..<see cref="Maximum"/>.
/// <para>
/// Supported property types: <see cref="bool"/> (a flag), <see cref="int"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="string"/>, enums (their member names in kebab case), the nullable forms of these, and
/// <c>IReadOnlyList&lt;string&gt;</c> / <c>IReadOnlyList&lt;int&gt;</c> (comma-separated or repeated).
/// </para>
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class OptionAttribute : Attribute
{
    /// <summary>Declares an option.</summary>
    /// <param name="help">Help text (one line; the default value is appended by the host).</param>
    public OptionAttribute(string help)
    {
        Help = help;
    }

    /// <summary>Help text.</summary>
    public string Help { get; }

    /// <summary>Name without dashes; null for the kebab-case property name.</summary>
    public string? Name { get; set; }

    /// <summary>Smallest accepted value of a numeric option (<see cref="double.NaN"/>: none).</summary>
    public double Minimum { get; set; } = double.NaN;

    /// <summary>Largest accepted value of a numeric option (<see cref="double.NaN"/>: none).</summary>
    public double Maximum { get; set; } = double.NaN;

    /// <summary>The verbs that take the option (all by default).</summary>
    public VerbScope Verbs { get; set; } = VerbScope.All;

    /// <summary>For the engine's own options: the kinds of task that take the option (both by default).</summary>
    public TaskKinds Tasks { get; set; } = TaskKinds.All;
}
