using System.Runtime.InteropServices;

namespace NetLlm.Core.Native;

/// <summary>
/// Keeps glibc from returning libtorch's freed tensor memory to the system between operations. With glibc's
/// defaults, activations of a few MiB are served by fresh <c>mmap</c>s or by growing and trimming the heap, so every
/// training step faults the same pages in again; on the 2-core machine this cost 15–20 % of a LoRA training step
/// (docs/platform.md). <see cref="Apply"/> sets the mmap threshold to glibc's largest (32 MiB) and the trim threshold
/// to 1 GiB (the <c>MALLOC_MMAP_THRESHOLD_</c> and <c>MALLOC_TRIM_THRESHOLD_</c> tunables, set in-process). Freed
/// memory then stays resident for reuse, up to the trim threshold; <c>malloc_trim</c> still returns it on request.
/// Set <c>NETLLM_HEAP_TUNING=off</c> to keep glibc's defaults.
/// </summary>
public static class HeapTuning
{
    /// <summary>The mmap threshold set (bytes).</summary>
    public const int MmapThreshold = 32 << 20;

    /// <summary>The trim threshold set (bytes).</summary>
    public const int TrimThreshold = 1 << 30;

    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;

    /// <summary>
    /// Applies the thresholds; returns false (changing nothing) off glibc, when <c>NETLLM_HEAP_TUNING=off</c>, or when
    /// the user set either glibc tunable in the environment.
    /// </summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux()
            || string.Equals(Environment.GetEnvironmentVariable("NETLLM_HEAP_TUNING"), "off", StringComparison.OrdinalIgnoreCase)
            || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null
            || Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null)
        {
            return false;
        }

        try
        {
            return Mallopt(MMmapThreshold, MmapThreshold) == 1 && Mallopt(MTrimThreshold, TrimThreshold) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in this assembly for one call
    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);
#pragma warning restore SYSLIB1054
}
