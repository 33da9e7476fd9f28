using System.Globalization;

namespace NetLlm.Core.Benchmarks;

/// <summary>
/// Peak resident memory of this process (Linux <c>/proc/self/status</c> VmHWM), with a reset through
/// <c>/proc/self/clear_refs</c>, so that the peak of one phase can be measured. Elsewhere the values are null.
/// </summary>
public static class ProcessMemory
{
    /// <summary>Current resident set size in bytes, or null when unavailable.</summary>
    public static long? Resident => Read("VmRSS:");

    /// <summary>Peak resident set size in bytes since the last <see cref="ResetPeak"/>, or null.</summary>
    public static long? Peak => Read("VmHWM:");

    /// <summary>Resets the peak to the current resident size (Linux 4.0+); returns false when not possible.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long? Read(string key)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return null;
        }

        foreach (var line in File.ReadLines(status))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var parts = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }
}
