using System.Diagnostics;
using System.Globalization;

namespace NetLlm.Transformers.Benchmarks;

/// <summary>
/// Peak resident memory of the process around a measured action. On Linux the kernel's high-water mark
/// (<c>VmHWM</c> in <c>/proc/self/status</c>) is reset by writing 5 to <c>/proc/self/clear_refs</c> before the action,
/// so the result is the true peak RSS during it minus the RSS before it; elsewhere the RSS after the action minus before
/// (a lower bound). <see cref="Method"/> says which.
/// </summary>
public static class PeakMemory
{
    /// <summary>How <see cref="Measure"/> measures on this machine.</summary>
    public static string Method { get; } = CanResetHighWaterMark() ? "rss_peak_delta (VmHWM reset via /proc/self/clear_refs)" : "rss_after_minus_before (lower bound)";

    /// <summary>Runs <paramref name="action"/> and returns the peak RSS increase in bytes.</summary>
    /// <param name="action">The measured action.</param>
    public static long Measure(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var reset = TryResetHighWaterMark();
        var before = CurrentRss();
        action();
        var after = reset ? HighWaterMark() ?? CurrentRss() : CurrentRss();
        return Math.Max(0, after - before);
    }

    private static bool CanResetHighWaterMark() => OperatingSystem.IsLinux() && TryResetHighWaterMark() && HighWaterMark() is not null;

    private static bool TryResetHighWaterMark()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

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

    private static long CurrentRss()
    {
        if (OperatingSystem.IsLinux() && StatusValue("VmRSS:") is { } rss)
        {
            return rss;
        }

        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64;
    }

    private static long? HighWaterMark() => StatusValue("VmHWM:");

    private static long? StatusValue(string key)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var kb = line[key.Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}
