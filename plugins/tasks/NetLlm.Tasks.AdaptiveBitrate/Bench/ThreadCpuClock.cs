using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NetLlm.Tasks.AdaptiveBitrate.Bench;

/// <summary>
/// CPU time consumed by the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>; elsewhere the process's CPU time),
/// so that a benchmark on a busy machine can report work per CPU second next to wall time.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>True when the clock measures the calling thread only.</summary>
    public static bool IsPerThread => OperatingSystem.IsLinux();

    /// <summary>CPU seconds so far.</summary>
    public static double Seconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTimeId, out var t) == 0)
        {
            return t.Seconds + (t.Nanoseconds * 1e-9);
        }

        return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in this plugin; the signature is blittable
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
#pragma warning restore SYSLIB1054

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
