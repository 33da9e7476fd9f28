using System.Globalization;
using System.Reflection;
using NetLlm.Abstractions.Options;

namespace NetLlm.Core.Options;

/// <summary>
/// One option of an options record, read from its <see cref="OptionAttribute"/>: name, value type, default, range,
/// help and verbs. Parses text into the typed value (errors name the option and where the text came from) and
/// validates ranges.
/// </summary>
public sealed class OptionField
{
    internal OptionField(PropertyInfo property, OptionAttribute attribute, object? defaultValue, Type owner)
    {
        Property = property;
        Owner = owner;
        Name = attribute.Name ?? KebabCase(property.Name);
        Help = attribute.Help;
        Verbs = attribute.Verbs;
        Tasks = attribute.Tasks;
        Minimum = double.IsNaN(attribute.Minimum) ? null : attribute.Minimum;
        Maximum = double.IsNaN(attribute.Maximum) ? null : attribute.Maximum;
        DefaultValue = defaultValue;
        var type = property.PropertyType;
        IsNullable = Nullable.GetUnderlyingType(type) is not null || (!type.IsValueType && new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable);
        ValueType = Nullable.GetUnderlyingType(type) ?? type;
        if (ValueType == typeof(IReadOnlyList<string>) || ValueType == typeof(string[]))
        {
            ElementType = typeof(string);
        }
        else if (ValueType == typeof(IReadOnlyList<int>) || ValueType == typeof(int[]))
        {
            ElementType = typeof(int);
        }
        else if (ValueType != typeof(string) && ValueType != typeof(bool) && ValueType != typeof(int) && ValueType != typeof(long)
            && ValueType != typeof(double) && !ValueType.IsEnum)
        {
            throw new InvalidOperationException(
                $"{owner.Name}.{property.Name}: option type {type.Name} is not supported (bool, int, long, double, string, enums, their nullable forms, IReadOnlyList<string>, IReadOnlyList<int>)");
        }

        if (!property.CanWrite)
        {
            throw new InvalidOperationException($"{owner.Name}.{property.Name}: an option property needs a setter (init is fine)");
        }
    }

    /// <summary>Name without dashes, for example <c>trace-count</c>.</summary>
    public string Name { get; }

    /// <summary>The property it sets.</summary>
    public PropertyInfo Property { get; }

    /// <summary>The options record type.</summary>
    public Type Owner { get; }

    /// <summary>Help text.</summary>
    public string Help { get; }

    /// <summary>Verbs that take it.</summary>
    public VerbScope Verbs { get; }

    /// <summary>Kinds of task that take it.</summary>
    public TaskKinds Tasks { get; }

    /// <summary>The value type without <see cref="Nullable{T}"/> (for lists the list type).</summary>
    public Type ValueType { get; }

    /// <summary>Element type of a list option, else null.</summary>
    public Type? ElementType { get; }

    /// <summary>True when the property accepts null (no value).</summary>
    public bool IsNullable { get; }

    /// <summary>True for a flag (a <see cref="bool"/> option).</summary>
    public bool IsFlag => ValueType == typeof(bool);

    /// <summary>Smallest accepted value, if any.</summary>
    public double? Minimum { get; }

    /// <summary>Largest accepted value, if any.</summary>
    public double? Maximum { get; }

    /// <summary>The value in a new instance of the record.</summary>
    public object? DefaultValue { get; }

    /// <summary>Accepted names of an enum option (kebab case), else empty.</summary>
    public IReadOnlyList<string> Choices => ValueType.IsEnum ? Enum.GetNames(ValueType).Select(KebabCase).ToList() : [];

    /// <summary>A short description of the accepted values, for help and errors.</summary>
    public string Accepts
    {
        get
        {
            if (ValueType.IsEnum)
            {
                return string.Join("|", Choices);
            }

            var kind = ElementType is { } e ? $"comma-separated {Describe(e)}s" : Describe(ValueType);
            var range = (Minimum, Maximum) switch
            {
                ({ } lo, { } hi) => string.Create(CultureInfo.InvariantCulture, $" in [{lo}, {hi}]"),
                ({ } lo, null) => string.Create(CultureInfo.InvariantCulture, $" >= {lo}"),
                (null, { } hi) => string.Create(CultureInfo.InvariantCulture, $" <= {hi}"),
                _ => string.Empty,
            };
            return kind + range;
        }
    }

    /// <summary>
    /// Parses <paramref name="text"/> into this option's value and checks its range. Throws
    /// <see cref="ArgumentException"/> naming <paramref name="source"/> (for example <c>option --trace-count</c> or
    /// <c>netllm.json: tasks.abr.trace-count</c>) and the accepted values.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="source">Where it came from.</param>
    public object? Parse(string? text, string source)
    {
        if (text is null)
        {
            return IsFlag ? true : IsNullable ? null : throw new ArgumentException($"{source}: a value is required ({Accepts})");
        }

        if (ElementType is { } element)
        {
            var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (element == typeof(string))
            {
                return Validate(parts, source);
            }

            return Validate(parts.Select(p => (int)ParseScalar(typeof(int), p, source)).ToArray(), source);
        }

        return Validate(ParseScalar(ValueType, text, source), source);
    }

    /// <summary>Checks a typed value's range; returns it or throws naming <paramref name="source"/>.</summary>
    /// <param name="value">The value.</param>
    /// <param name="source">Where it came from.</param>
    public object? Validate(object? value, string source)
    {
        if (value is null)
        {
            return IsNullable ? null : throw new ArgumentException($"{source}: a value is required ({Accepts})");
        }

        if (value is int[] ints)
        {
            foreach (var i in ints)
            {
                CheckRange(i, source);
            }

            return ints;
        }

        if (value is int or long or double)
        {
            var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            if (!double.IsFinite(d))
            {
                throw new ArgumentException($"{source}: {Format(value)} is not a finite number");
            }

            CheckRange(d, source);
        }

        return value;
    }

    /// <summary>The value as command-line text (for help and manifests).</summary>
    /// <param name="value">A value of this option.</param>
    public static string Format(object? value) => value switch
    {
        null => "(none)",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        Enum e => KebabCase(e.ToString()),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s => s,
        System.Collections.IEnumerable list => string.Join(",", list.Cast<object?>().Select(Format)),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary><c>TraceCount</c> to <c>trace-count</c>.</summary>
    /// <param name="name">A PascalCase name.</param>
    public static string KebabCase(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousLower = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var nextLower = i + 1 < name.Length && char.IsLower(name[i + 1]) && i > 0 && char.IsUpper(name[i - 1]);
                if (previousLower || nextLower)
                {
                    sb.Append('-');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private void CheckRange(double value, string source)
    {
        if (Minimum is { } lo && value < lo || Maximum is { } hi && value > hi)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{source}: {value} is out of range (accepted: {Accepts})"));
        }
    }

    private object ParseScalar(Type type, string text, string source)
    {
        if (type == typeof(string))
        {
            return text;
        }

        if (type == typeof(bool))
        {
            if (text.Length == 0)
            {
                return true;
            }

            return bool.TryParse(text, out var b) ? b : throw new ArgumentException($"{source}: '{text}' is not true or false");
        }

        if (type == typeof(int))
        {
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
                ? i
                : throw new ArgumentException($"{source}: '{text}' is not an integer{RangeHint()}");
        }

        if (type == typeof(long))
        {
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
                ? l
                : throw new ArgumentException($"{source}: '{text}' is not an integer{RangeHint()}");
        }

        if (type == typeof(double))
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? d
                : throw new ArgumentException($"{source}: '{text}' is not a finite number{RangeHint()}");
        }

        if (type.IsEnum)
        {
            return ParseEnum(type, text) ?? throw new ArgumentException($"{source}: '{text}' is not one of {string.Join(", ", Choices)}");
        }

        throw new InvalidOperationException($"unsupported option type {type.Name}");
    }

    /// <summary>The member of enum <paramref name="type"/> named <paramref name="text"/> (kebab case or the member's name, any case), or null.</summary>
    /// <param name="type">An enum type.</param>
    /// <param name="text">The name.</param>
    internal static object? ParseEnum(Type type, string text)
    {
        foreach (var name in Enum.GetNames(type))
        {
            if (string.Equals(KebabCase(name), text, StringComparison.OrdinalIgnoreCase) || string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                return Enum.Parse(type, name);
            }
        }

        return null;
    }

    private string RangeHint() => Minimum is null && Maximum is null ? string.Empty : $" (accepted: {Accepts})";

    private static string Describe(Type type) =>
        type == typeof(int) || type == typeof(long) ? "integer" : type == typeof(double) ? "number" : type == typeof(bool) ? "flag" : "text";
}
