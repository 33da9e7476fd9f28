using System.Globalization;

namespace NetLlm.Reporting.Writers;

/// <summary>Number formatting of the report files (invariant culture).</summary>
public static class ReportNumber
{
    /// <summary>Round-trip text of a double for CSV files (shortest form that parses back to the same value).</summary>
    /// <param name="value">Value.</param>
    public static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Text for tables: 4 decimals below 10 (0.76416 → 0.7642), 2 decimals below 1000 (64.113 → 64.11), one decimal
    /// above.
    /// </summary>
    /// <param name="value">Value.</param>
    public static string Table(double value)
    {
        var magnitude = Math.Abs(value);
        var decimals = magnitude >= 1000 ? 1 : magnitude >= 10 ? 2 : 4;
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>A percentage with one decimal and its sign, for example <c>+12.3 %</c>; <c>n/a</c> for null.</summary>
    /// <param name="percent">Percent, or null.</param>
    public static string Percent(double? percent) =>
        percent is { } p ? p.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %" : "n/a";
}
