using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using NetLlm.Core.Options;

namespace NetLlm.Cli.Infrastructure;

/// <summary>
/// Command-line options built from options records (<see cref="OptionField"/>s): one typed option per name —
/// <c>Option&lt;int?&gt;</c>, <c>Option&lt;double?&gt;</c>, a flag for booleans, text for strings and enums (with their
/// accepted names), repeatable text for lists — whose help shows the default and accepted values and whose range is
/// checked while parsing. Fields of several records with the same name become one option when their types agree (its
/// value then applies to each record).
/// </summary>
public sealed class TypedOptionSet
{
    private readonly List<Entry> _entries = [];

    /// <summary>Adds options for <paramref name="fields"/> to <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    /// <param name="fields">Fields with the name of what owns them (for conflict messages).</param>
    /// <param name="reserved">Names the command already has.</param>
    public TypedOptionSet(Command command, IEnumerable<(OptionField Field, string Owner)> fields, IReadOnlySet<string> reserved)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(fields);
        var byName = new Dictionary<string, (OptionField Field, List<string> Owners)>(StringComparer.Ordinal);
        foreach (var (field, owner) in fields)
        {
            if (reserved.Contains(field.Name))
            {
                throw new InvalidOperationException($"{owner}: option --{field.Name} clashes with an option of the command itself");
            }

            if (byName.TryGetValue(field.Name, out var existing))
            {
                if (existing.Field.ValueType != field.ValueType)
                {
                    throw new InvalidOperationException(
                        $"option --{field.Name} is declared by {string.Join(", ", existing.Owners)} as {existing.Field.Accepts} and by {owner} as {field.Accepts}; rename one of them");
                }

                if (!existing.Owners.Contains(owner))
                {
                    existing.Owners.Add(owner);
                }

                continue;
            }

            byName[field.Name] = (field, [owner]);
        }

        foreach (var (name, (field, owners)) in byName)
        {
            var entry = Create(field, owners);
            command.Options.Add(entry.Option);
            _entries.Add(entry);
        }
    }

    /// <summary>The option names, in the order added.</summary>
    public IReadOnlyList<string> Names => _entries.Select(e => e.Field.Name).ToList();

    /// <summary>The values typed on the command line (options left out are not listed), by name.</summary>
    /// <param name="parse">The parse result.</param>
    public IReadOnlyList<OptionInput> Given(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var inputs = new List<OptionInput>();
        foreach (var entry in _entries)
        {
            if (parse.GetResult(entry.Option) is not { Implicit: false })
            {
                continue;
            }

            inputs.Add(new OptionInput(entry.Field.Name, entry.Read(parse), "option --" + entry.Field.Name));
        }

        return inputs;
    }

    private static Entry Create(OptionField field, IReadOnlyList<string> owners)
    {
        var help = field.Help;
        if (!field.IsFlag)
        {
            help += $" [{field.Accepts}; default {OptionField.Format(field.DefaultValue)}]";
        }

        if (owners.Count > 1)
        {
            help = $"({string.Join(", ", owners)}) {help}";
        }

        var name = "--" + field.Name;
        if (field.IsFlag)
        {
            var flag = new Option<bool>(name) { Description = help };
            return new Entry(field, flag, p => p.GetValue(flag));
        }

        if (field.ElementType is not null)
        {
            var list = new Option<string[]>(name) { Description = help + " (comma-separated or repeated)", AllowMultipleArgumentsPerToken = false };
            list.Validators.Add(r => Check(r, field, string.Join(",", r.GetValueOrDefault<string[]>() ?? [])));
            return new Entry(field, list, p => field.Parse(string.Join(",", p.GetValue(list) ?? []), "option " + name));
        }

        if (field.ValueType == typeof(int))
        {
            var o = new Option<int?>(name) { Description = help };
            o.Validators.Add(r => CheckValue(r, field, Converted<int?>(r)));
            return new Entry(field, o, p => p.GetValue(o));
        }

        if (field.ValueType == typeof(long))
        {
            var o = new Option<long?>(name) { Description = help };
            o.Validators.Add(r => CheckValue(r, field, Converted<long?>(r)));
            return new Entry(field, o, p => p.GetValue(o));
        }

        if (field.ValueType == typeof(double))
        {
            var o = new Option<double?>(name) { Description = help };
            o.Validators.Add(r => CheckValue(r, field, Converted<double?>(r)));
            return new Entry(field, o, p => p.GetValue(o));
        }

        var text = new Option<string?>(name) { Description = help };
        if (field.ValueType.IsEnum)
        {
            text.AcceptOnlyFromAmong([.. field.Choices]);
            return new Entry(field, text, p => field.Parse(p.GetValue(text), "option " + name));
        }

        return new Entry(field, text, p => p.GetValue(text));
    }

    /// <summary>
    /// The option's value, or null when its text does not convert: the parser reports that error itself (reading the
    /// value in a validator would throw instead, and the process would end with an unhandled exception).
    /// </summary>
    private static T? Converted<T>(OptionResult result)
    {
        try
        {
            return result.GetValueOrDefault<T>();
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }

    private static void CheckValue(OptionResult result, OptionField field, object? value)
    {
        if (value is null)
        {
            return;
        }

        try
        {
            field.Validate(value, "option --" + field.Name);
        }
        catch (ArgumentException e)
        {
            result.AddError(e.Message);
        }
    }

    private static void Check(OptionResult result, OptionField field, string text)
    {
        try
        {
            field.Parse(text, "option --" + field.Name);
        }
        catch (ArgumentException e)
        {
            result.AddError(e.Message);
        }
    }

    private sealed record Entry(OptionField Field, Option Option, Func<ParseResult, object?> Read);
}
