namespace NetLlm.Core.Options;

/// <summary>The command-line spelling of an option, from its record's metadata (so messages follow renames).</summary>
public static class OptionNames
{
    /// <summary><c>--name</c> of the option that property <paramref name="property"/> of <typeparamref name="TOptions"/> declares.</summary>
    /// <typeparam name="TOptions">The options record.</typeparam>
    /// <param name="property">The property's name (<c>nameof</c>).</param>
    public static string Of<TOptions>(string property) =>
        "--" + (OptionSchema.Of<TOptions>().Fields.FirstOrDefault(f => f.Property.Name == property)?.Name
            ?? throw new ArgumentException($"{typeof(TOptions).Name} declares no option for property {property}", nameof(property)));
}
