using System.Globalization;
using System.Text;

namespace NetLlm.Tasks.AdaptiveBitrate.Results;

/// <summary>
/// Formats doubles exactly as Python's <c>str(float)</c> / <c>repr(float)</c> (and numpy's <c>str(np.float64)</c>):
/// the shortest digits that round-trip, in positional notation when the decimal exponent is between −4 and 16
/// (with a trailing <c>.0</c> for integral values), otherwise as <c>d.ddde±XX</c>. The original writes its result
/// files with <c>str()</c>, so this reproduces them byte for byte.
/// </summary>
public static class PythonFloat
{
    /// <summary>Python's <c>repr(value)</c>.</summary>
    /// <param name="value">The value.</param>
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var (negative, digits, pointPosition) = ShortestDigits(value);
        var sb = new StringBuilder(32);
        if (negative)
        {
            sb.Append('-');
        }

        if (pointPosition > -4 && pointPosition <= 16)
        {
            if (pointPosition <= 0)
            {
                sb.Append("0.").Append('0', -pointPosition).Append(digits);
            }
            else if (pointPosition < digits.Length)
            {
                sb.Append(digits, 0, pointPosition).Append('.').Append(digits, pointPosition, digits.Length - pointPosition);
            }
            else
            {
                sb.Append(digits).Append('0', pointPosition - digits.Length).Append(".0");
            }
        }
        else
        {
            var exponent = pointPosition - 1;
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            sb.Append('e').Append(exponent < 0 ? '-' : '+');
            sb.Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>
    /// The shortest round-trip digits of <paramref name="value"/> (no leading or trailing zeros) and the position of
    /// the decimal point: value = 0.d1d2…dn × 10^pointPosition.
    /// </summary>
    private static (bool Negative, string Digits, int PointPosition) ShortestDigits(double value)
    {
        // "E16" is not shortest; "R" is the shortest round-trip form on .NET Core 3.0 and later.
        var text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot >= 0 ? text[..dot] : text;
        var fraction = dot >= 0 ? text[(dot + 1)..] : string.Empty;
        var all = integerPart + fraction;
        var point = integerPart.Length + exponent;
        var leading = 0;
        while (leading < all.Length - 1 && all[leading] == '0')
        {
            leading++;
        }

        all = all[leading..];
        point -= leading;
        all = all.TrimEnd('0');
        return (value < 0, all.Length == 0 ? "0" : all, point);
    }
}
