using System.Text;

namespace NetLlm.Reporting.Writers;

/// <summary>RFC 4180 CSV lines: fields with a comma, quote or line break are quoted, quotes doubled; LF line ends.</summary>
public static class Csv
{
    /// <summary>One line (with its line feed) of <paramref name="fields"/>.</summary>
    /// <param name="fields">Fields.</param>
    public static string Line(IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var text = new StringBuilder();
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                text.Append(',');
            }

            first = false;
            text.Append(Escape(field));
        }

        return text.Append('\n').ToString();
    }

    /// <summary>The field as it appears in a CSV line.</summary>
    /// <param name="field">Field text.</param>
    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}
