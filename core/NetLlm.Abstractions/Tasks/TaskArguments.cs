using System.Globalization;

namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// Option values given to a task verb (command line, configuration file and setting presets merged), with
/// typed accessors whose errors name the option and the accepted values.
/// </summary>
public sealed class TaskArguments
{
    private readonly Dictionary<string, string> _values;

    /// <summary>Creates arguments from name/value pairs (flags have the value <c>true</c>).</summary>
    /// <param name="values">Values by option name (without dashes).</param>
    public TaskArguments(IReadOnlyDictionary<string, string>? values = null)
    {
        _values = new Dictionary<string, string>(values ?? new Dictionary<string, string>(), StringComparer.Ordinal);
    }

    /// <summary>All values by name.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>True when the option was given.</summary>
    /// <param name="name">Option name.</param>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>Returns a copy with <paramref name="defaults"/> added for the names not given.</summary>
    /// <param name="defaults">Fallback values (for example a setting preset).</param>
    public TaskArguments WithDefaults(IReadOnlyDictionary<string, string> defaults)
    {
        var merged = new Dictionary<string, string>(defaults, StringComparer.Ordinal);
        foreach (var (k, v) in _values)
        {
            merged[k] = v;
        }

        return new TaskArguments(merged);
    }

    /// <summary>Text value, or <paramref name="fallback"/>.</summary>
    /// <param name="name">Option name.</param>
    /// <param name="fallback">Default.</param>
    public string? Text(string name, string? fallback = null) => _values.TryGetValue(name, out var v) ? v : fallback;

    /// <summary>Required text value; throws naming the option when absent.</summary>
    /// <param name="name">Option name.</param>
    public string RequiredText(string name) =>
        _values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new ArgumentException($"option --{name} is required");

    /// <summary>Integer value, or <paramref name="fallback"/>; throws naming the option when not an integer.</summary>
    /// <param name="name">Option name.</param>
    /// <param name="fallback">Default.</param>
    public int Integer(string name, int fallback)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            return fallback;
        }

        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            ? i
            : throw new ArgumentException($"option --{name}: '{v}' is not an integer");
    }

    /// <summary>Real value, or <paramref name="fallback"/>; throws naming the option when not a finite number.</summary>
    /// <param name="name">Option name.</param>
    /// <param name="fallback">Default.</param>
    public double Real(string name, double fallback)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            return fallback;
        }

        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d
            : throw new ArgumentException($"option --{name}: '{v}' is not a finite number");
    }

    /// <summary>Flag value: true when given without value or with a true value.</summary>
    /// <param name="name">Option name.</param>
    public bool Flag(string name)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            return false;
        }

        if (v.Length == 0)
        {
            return true;
        }

        return bool.TryParse(v, out var b) ? b : throw new ArgumentException($"option --{name}: '{v}' is not true or false");
    }

    /// <summary>Value that must be one of <paramref name="accepted"/>; throws listing them otherwise.</summary>
    /// <param name="name">Option name.</param>
    /// <param name="fallback">Default.</param>
    /// <param name="accepted">Accepted values.</param>
    public string Choice(string name, string fallback, params string[] accepted)
    {
        var v = Text(name, fallback)!;
        return accepted.Contains(v, StringComparer.Ordinal)
            ? v
            : throw new ArgumentException($"option --{name}: '{v}' is not one of {string.Join(", ", accepted)}");
    }
}
