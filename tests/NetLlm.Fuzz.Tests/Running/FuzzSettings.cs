namespace NetLlm.Fuzz.Tests.Running;

/// <summary>
/// The suite's settings from the environment: NETLLM_FUZZ_CASES (cases per format; 6 in the default test run, a few
/// hundred with .ci/fuzz), NETLLM_FUZZ_SEED (default 1), NETLLM_FUZZ_OUT (folder of the summary; default fuzz/ next
/// to the test binaries) and NETLLM_FUZZ_NETLLM (a netllm.dll to run as a process, for example an older build).
/// </summary>
public sealed record FuzzSettings(int Cases, int Seed, string OutputFolder, string? NetllmDll)
{
    /// <summary>Reads the settings; a malformed value is an error naming the variable.</summary>
    public static FuzzSettings FromEnvironment() => new(
        Int("NETLLM_FUZZ_CASES", 6, 1, 100_000),
        Int("NETLLM_FUZZ_SEED", 1, 0, int.MaxValue),
        Environment.GetEnvironmentVariable("NETLLM_FUZZ_OUT") is { Length: > 0 } folder ? Path.GetFullPath(folder) : Path.Combine(AppContext.BaseDirectory, "fuzz"),
        Environment.GetEnvironmentVariable("NETLLM_FUZZ_NETLLM") is { Length: > 0 } dll ? dll : null);

    /// <summary>The seed of case <paramref name="index"/> of <paramref name="format"/>: stable across runs and machines.</summary>
    public int CaseSeed(string format, int index)
    {
        var hash = 2166136261u;
        foreach (var c in $"{Seed}/{format}/{index}")
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    private static int Int(string name, int fallback, int min, int max)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name}='{text}' must be a whole number in [{min}, {max}]");
    }
}
