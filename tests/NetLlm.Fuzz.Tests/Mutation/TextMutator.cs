using System.Text;
using System.Text.RegularExpressions;

namespace NetLlm.Fuzz.Tests.Mutation;

/// <summary>
/// Damage to line-oriented numeric text (traces, chunk sizes, CSV): a number replaced by an extreme or non-number,
/// lines dropped, duplicated or swapped, separators changed, truncation mid-line, an empty file, a BOM, or byte damage.
/// </summary>
internal static partial class TextMutator
{
    [GeneratedRegex(@"-?\d+(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex NumberPattern();

    /// <summary>A damaged copy of the UTF-8 text <paramref name="bytes"/> and what was done.</summary>
    public static (byte[] Bytes, string Description) Mutate(byte[] bytes, Random random)
    {
        if (random.Next(10) == 0)
        {
            return BinaryMutator.Mutate(bytes, random);
        }

        var (text, description) = Mutate(Encoding.UTF8.GetString(bytes), random);
        return (Encoding.UTF8.GetBytes(text), description);
    }

    /// <summary>A damaged copy of <paramref name="text"/> and what was done.</summary>
    public static (string Text, string Description) Mutate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        switch (random.Next(10))
        {
            case 0:
            case 1:
            case 2:
                {
                    // The most telling damage: one value becomes an extreme.
                    var matches = NumberPattern().Matches(text);
                    if (matches.Count == 0)
                    {
                        goto default;
                    }

                    var m = matches[random.Next(matches.Count)];
                    var value = ExtremeValues.Any(random);
                    return (text[..m.Index] + value + text[(m.Index + m.Length)..], $"'{m.Value}' at offset {m.Index} -> '{value}'");
                }

            case 3:
                {
                    var count = Math.Min(1 + random.Next(Math.Max(1, lines.Count)), lines.Count);
                    var at = random.Next(Math.Max(1, lines.Count - count + 1));
                    lines.RemoveRange(at, count);
                    return (string.Join('\n', lines), $"{count} line(s) removed at line {at + 1}");
                }

            case 4:
                {
                    var at = random.Next(lines.Count);
                    var n = 1 + random.Next(3);
                    for (var i = 0; i < n; i++)
                    {
                        lines.Insert(at, lines[at]);
                    }

                    return (string.Join('\n', lines), $"line {at + 1} repeated {n} time(s)");
                }

            case 5:
                {
                    var a = random.Next(lines.Count);
                    var b = random.Next(lines.Count);
                    (lines[a], lines[b]) = (lines[b], lines[a]);
                    return (string.Join('\n', lines), $"lines {a + 1} and {b + 1} swapped");
                }

            case 6:
                {
                    var at = random.Next(lines.Count);
                    var replacement = random.Next(4) switch
                    {
                        0 => lines[at].Replace('\t', ' ').Replace(',', ';'),
                        1 => lines[at] + "\t" + ExtremeValues.Any(random),
                        2 => string.Empty,
                        _ => new string('9', 400),
                    };
                    lines[at] = replacement;
                    return (string.Join('\n', lines), $"line {at + 1} rewritten as '{Shorten(replacement)}'");
                }

            case 7:
                {
                    var length = random.Next(Math.Max(1, text.Length));
                    return (text[..length], $"truncated to {length} of {text.Length} characters");
                }

            case 8:
                return (random.Next(2) == 0 ? string.Empty : "\n\n\n", "empty file");

            default:
                {
                    var at = random.Next(lines.Count);
                    lines[at] = "\uFEFF" + lines[at].Replace("\n", "\r\n", StringComparison.Ordinal) + "\r";
                    return (string.Join('\n', lines), $"BOM and CR on line {at + 1}");
                }
        }
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
