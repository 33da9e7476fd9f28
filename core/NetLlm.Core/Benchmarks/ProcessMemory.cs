using System.Globalization;
using System.Runtime.InteropServices;

namespace NetLlm.Core.Benchmarks;

/// <summary>
/// Peak resident memory of this process (Linux <c>/proc/self/status</c> VmHWM), with a reset through
/// <c>/proc/self/clear_refs</c>, so that the peak of one phase can be measured. Elsewhere the values are null.
/// Between phases call <see cref="ReleaseFreed"/>: memory libtorch freed stays in glibc's heap otherwise, and a later
/// phase that reuses it would not raise the resident size (its peak would be under-counted).
/// </summary>
public static class ProcessMemory
{
    /// <summary>
    /// Collects managed garbage (disposing tensors that only finalizers still hold) and returns the C heap's free
    /// memory to the system (glibc <c>malloc_trim(0)</c>); returns false where that is unavailable.
    /// </summary>
    public static bool ReleaseFreed()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            _ = MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (musl has no malloc_trim)
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in this assembly for one call
    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
#pragma warning restore SYSLIB1054

    /// <summary>Current resident set size in bytes, or null when unavailable.</summary>
    public static long? Resident => Read("VmRSS:");

    /// <summary>Resident anonymous memory in bytes (the process's own allocations), or null.</summary>
    public static long? ResidentAnonymous => Read("RssAnon:");

    /// <summary>Resident file-backed memory in bytes (mapped files such as mapped weights, shared with the page cache), or null.</summary>
    public static long? ResidentFile => Read("RssFile:");

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
