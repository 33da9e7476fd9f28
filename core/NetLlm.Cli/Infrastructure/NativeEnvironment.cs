using System.Runtime.InteropServices;

namespace NetLlm.Cli.Infrastructure;

/// <summary>
/// Sets process environment variables that native libraries read with <c>getenv</c> (on Unix,
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> only changes the managed copy).
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>
    /// Quiets libtorch's C++ warnings (for example "Could not initialize NNPACK! Reason: Unsupported hardware.", printed
    /// on every convolution on CPUs without NNPACK support) unless the user chose a level. Must run before libtorch loads.
    /// </summary>
    public static void QuietTorchWarnings()
    {
        const string name = "TORCH_CPP_LOG_LEVEL";
        if (Environment.GetEnvironmentVariable(name) is not null)
        {
            return;
        }

        Environment.SetEnvironmentVariable(name, "ERROR");
        if (!OperatingSystem.IsWindows())
        {
            _ = SetEnv(name, "ERROR", 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
