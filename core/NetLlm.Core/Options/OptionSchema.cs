using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Options;

namespace NetLlm.Core.Options;

/// <summary>
/// The options of an options record type (properties marked with <see cref="OptionAttribute"/>): creates the default
/// record, applies typed or text values to a copy (records are never changed in place), and converts records to and
/// from JSON with the options' names. Errors name the option, where its value came from and what is accepted.
/// </summary>
public sealed class OptionSchema
{
    private static readonly ConcurrentDictionary<Type, OptionSchema> Cache = new();
    private readonly Dictionary<string, OptionField> _byName;

    private OptionSchema(Type type)
    {
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new InvalidOperationException($"options record {type.Name} needs a public parameterless constructor");
        }

        Type = type;
        var defaults = Activator.CreateInstance(type)!;
        var fields = new List<OptionField>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<OptionAttribute>() is { } attribute)
            {
                fields.Add(new OptionField(property, attribute, property.GetValue(defaults), type));
            }
        }

        Fields = fields;
        _byName = new Dictionary<string, OptionField>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (!_byName.TryAdd(field.Name, field))
            {
                throw new InvalidOperationException($"options record {type.Name}: two properties are named --{field.Name}");
            }
        }
    }

    /// <summary>The options record type.</summary>
    public Type Type { get; }

    /// <summary>Its options, in declaration order.</summary>
    public IReadOnlyList<OptionField> Fields { get; }

    /// <summary>The schema of <paramref name="type"/> (cached).</summary>
    /// <param name="type">An options record type.</param>
    public static OptionSchema Of(Type type) => Cache.GetOrAdd(type, t => new OptionSchema(t));

    /// <summary>The schema of <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">An options record type.</typeparam>
    public static OptionSchema Of<T>() => Of(typeof(T));

    /// <summary>The option named <paramref name="name"/>, or null.</summary>
    /// <param name="name">Name without dashes.</param>
    public OptionField? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Options of this record that apply to <paramref name="verb"/>.</summary>
    /// <param name="verb">A verb (or several).</param>
    public IEnumerable<OptionField> For(VerbScope verb) => Fields.Where(f => (f.Verbs & verb) != 0);

    /// <summary>A new record with every option at its default.</summary>
    public object CreateDefault() => Activator.CreateInstance(Type)!;

    /// <summary>A copy of <paramref name="instance"/> with <paramref name="values"/> set (each validated).</summary>
    /// <param name="instance">The record (not changed).</param>
    /// <param name="values">Typed values by option, with where each came from.</param>
    public object With(object instance, IEnumerable<OptionValue> values)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(values);
        var copy = Clone(instance);
        foreach (var value in values)
        {
            if (value.Field.Owner != Type && !value.Field.Owner.IsAssignableFrom(Type))
            {
                throw new InvalidOperationException($"option --{value.Field.Name} belongs to {value.Field.Owner.Name}, not {Type.Name}");
            }

            value.Field.Property.SetValue(copy, value.Field.Validate(value.Value, value.Source));
        }

        return copy;
    }

    /// <summary>
    /// A copy of <paramref name="instance"/> with the inputs applied by option name. A text value for a non-text option
    /// is parsed; a typed value is validated. An unknown name throws <see cref="ArgumentException"/> naming the input's
    /// source and the accepted names.
    /// </summary>
    /// <param name="instance">The record (not changed).</param>
    /// <param name="inputs">Values by option name.</param>
    public object Apply(object instance, IEnumerable<OptionInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var values = new List<OptionValue>();
        foreach (var input in inputs)
        {
            var field = Find(input.Name)
                ?? throw new ArgumentException($"{input.Source}: {Type.Name} has no option '{input.Name}'; accepted: {string.Join(", ", Fields.Select(f => f.Name))}");
            var value = input.Value is string text && field.ValueType != typeof(string) ? field.Parse(text, input.Source) : input.Value;
            values.Add(new OptionValue(field, value, input.Source));
        }

        return With(instance, values);
    }

    /// <summary>True when two option values are equal (lists element by element).</summary>
    /// <param name="a">A value.</param>
    /// <param name="b">Another value.</param>
    public static bool ValuesEqual(object? a, object? b)
    {
        if (a is System.Collections.IEnumerable x && b is System.Collections.IEnumerable y && a is not string && b is not string)
        {
            return x.Cast<object?>().SequenceEqual(y.Cast<object?>());
        }

        return Equals(a, b);
    }

    /// <summary>
    /// Parses text values by option name into typed values. Unknown names throw <see cref="ArgumentException"/> naming
    /// <paramref name="source"/> and the accepted names.
    /// </summary>
    /// <param name="texts">Values by option name.</param>
    /// <param name="source">Where they came from, for messages (for example <c>netllm.json: tasks.abr</c>).</param>
    public IReadOnlyList<OptionValue> Parse(IReadOnlyDictionary<string, string?> texts, string source)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new List<OptionValue>(texts.Count);
        foreach (var (name, text) in texts)
        {
            var field = Find(name) ?? throw new ArgumentException($"{source}: unknown option '{name}'; accepted: {string.Join(", ", Fields.Select(f => f.Name))}");
            var where = $"{source}.{name}";
            result.Add(new OptionValue(field, field.Parse(text, where), where));
        }

        return result;
    }

    /// <summary>The record as JSON: one key per option (its name), values in JSON types.</summary>
    /// <param name="instance">A record of this type.</param>
    public JsonObject ToJson(object instance)
    {
        var json = new JsonObject();
        foreach (var field in Fields)
        {
            json[field.Name] = ToJsonValue(field.Property.GetValue(instance));
        }

        return json;
    }

    /// <summary>
    /// A record from JSON written by <see cref="ToJson"/>; keys missing take their defaults. Unknown keys and bad
    /// values throw <see cref="InvalidDataException"/> naming <paramref name="source"/> and the key.
    /// </summary>
    /// <param name="json">The JSON object.</param>
    /// <param name="source">Where it came from (a file and key).</param>
    public object FromJson(JsonObject json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        var values = new List<OptionValue>();
        foreach (var (key, node) in json)
        {
            var field = Find(key) ?? throw new InvalidDataException($"{source}: unknown key '{key}'; known: {string.Join(", ", Fields.Select(f => f.Name))}");
            var where = $"{source}.{key}";
            try
            {
                values.Add(new OptionValue(field, FromJsonValue(field, node, where), where));
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException(e.Message, e);
            }
        }

        try
        {
            return With(CreateDefault(), values);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    private static object Clone(object instance)
    {
        var type = instance.GetType();
        var clone = type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance);
        if (clone is not null)
        {
            return clone.Invoke(instance, null)!;
        }

        var memberwise = typeof(object).GetMethod("MemberwiseClone", BindingFlags.NonPublic | BindingFlags.Instance)!;
        return memberwise.Invoke(instance, null)!;
    }

    private static JsonNode? ToJsonValue(object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        string s => JsonValue.Create(s),
        Enum e => JsonValue.Create(OptionField.KebabCase(e.ToString())),
        IEnumerable<string> list => new JsonArray(list.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
        IEnumerable<int> list => new JsonArray(list.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
        _ => throw new InvalidOperationException($"cannot write {value.GetType().Name} as an option value"),
    };

    private static object? FromJsonValue(OptionField field, JsonNode? node, string source)
    {
        if (node is null)
        {
            return field.Validate(null, source);
        }

        if (field.ElementType is { } element)
        {
            if (node is not JsonArray array)
            {
                return field.Parse(node.ToString(), source);
            }

            return element == typeof(string)
                ? array.Select((x, i) => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new ArgumentException($"{source}[{i}]: not a string")).ToArray()
                : field.Validate(array.Select((x, i) => x is JsonValue v && v.TryGetValue<int>(out var n) ? n : throw new ArgumentException($"{source}[{i}]: not an integer")).ToArray(), source);
        }

        if (node is not JsonValue value)
        {
            throw new ArgumentException($"{source}: expected a {field.Accepts} value, got {node.GetValueKind().ToString().ToLowerInvariant()}");
        }

        var kind = value.GetValueKind();
        if (field.ValueType == typeof(string) || field.ValueType.IsEnum)
        {
            return kind == JsonValueKind.String ? field.Parse(value.GetValue<string>(), source) : throw new ArgumentException($"{source}: expected a string ({field.Accepts})");
        }

        if (field.ValueType == typeof(bool))
        {
            return kind is JsonValueKind.True or JsonValueKind.False ? value.GetValue<bool>() : throw new ArgumentException($"{source}: expected true or false");
        }

        if (kind != JsonValueKind.Number)
        {
            throw new ArgumentException($"{source}: expected a number ({field.Accepts})");
        }

        // The text of the number, so that 4.7 for an integer option is an error instead of 4.
        return field.Parse(value.ToJsonString(), source);
    }
}

/// <summary>A value for an option given by name (typed, or text to parse), and where it came from.</summary>
/// <param name="Name">Option name without dashes.</param>
/// <param name="Value">The value.</param>
/// <param name="Source">Where it came from, for messages (for example <c>option --episodes</c>).</param>
public sealed record OptionInput(string Name, object? Value, string Source);

/// <summary>A typed value for an option and where it came from.</summary>
/// <param name="Field">The option.</param>
/// <param name="Value">The value.</param>
/// <param name="Source">Where it came from, for messages (for example <c>option --episodes</c>).</param>
public sealed record OptionValue(OptionField Field, object? Value, string Source);
