namespace NetLlm.Fuzz.Tests.Mutation;

/// <summary>The values malformed inputs are made of: boundaries, overflows, non-finite numbers and non-numbers.</summary>
internal static class ExtremeValues
{
    /// <summary>Number-like tokens for text formats (also written into JSON as raw numbers where JSON allows).</summary>
    public static readonly string[] Numbers =
    [
        "0", "-0", "-1", "1", "2", "0.5", "4.7", "-4.7", "1e-300", "-1e-300", "1e-12", "1e308", "-1e308", "1e30", "-1e30",
        "2147483647", "2147483648", "-2147483649", "4294967295", "9223372036854775807", "99999999999999999999999",
        "1000000000", "100000", "65536", "1048576",
    ];

    /// <summary>Tokens that are not valid numbers.</summary>
    public static readonly string[] NonNumbers = ["NaN", "nan", "inf", "-inf", "Infinity", "", " ", "abc", "0x10", "1,5", "1..2", "--1", "\t", "１"];

    /// <summary>A value of either kind.</summary>
    public static string Any(Random random) =>
        random.Next(3) == 0 ? NonNumbers[random.Next(NonNumbers.Length)] : Numbers[random.Next(Numbers.Length)];
}
