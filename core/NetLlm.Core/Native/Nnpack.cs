using System.Runtime.InteropServices;

namespace NetLlm.Core.Native;

/// <summary>
/// Turns off libtorch's NNPACK convolution path. On CPUs NNPACK does not support, libtorch retries NNPACK's
/// initialisation on every eligible convolution and logs "Could not initialize NNPACK! Reason: Unsupported hardware."
/// each time (thousands of lines per run; <c>TORCH_CPP_LOG_LEVEL</c> does not reach it outside Python). The switch is
/// PyTorch's <c>torch.backends.nnpack.enabled = False</c> (<c>at::globalContext().setUserEnabledNNPACK(false)</c>),
/// which TorchSharp does not expose, so it is called by its exported C++ symbol. Convolutions then use libtorch's
/// other CPU kernels (same results).
/// </summary>
public static class Nnpack
{
    private const string GlobalContext = "_ZN2at13globalContextEv";
    private const string SetUserEnabled = "_ZN2at7Context20setUserEnabledNNPACKEb";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GlobalContextFn();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetUserEnabledFn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    /// <summary>
    /// Disables NNPACK in the loaded libtorch. Returns false (and changes nothing) when libtorch's CPU library or the
    /// symbols are not found, for example on Windows, where the C++ names are decorated differently.
    /// </summary>
    public static bool Disable()
    {
        // Loads TorchSharp's natives (libtorch) if nothing has yet.
        _ = TorchSharp.torch.get_num_threads();
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return false;
        }

        var file = OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : "libtorch_cpu.so";
        var candidates = new[] { Path.Combine(AppContext.BaseDirectory, file), file };
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out var library)
                && NativeLibrary.TryGetExport(library, GlobalContext, out var contextFn)
                && NativeLibrary.TryGetExport(library, SetUserEnabled, out var setFn))
            {
                var context = Marshal.GetDelegateForFunctionPointer<GlobalContextFn>(contextFn)();
                Marshal.GetDelegateForFunctionPointer<SetUserEnabledFn>(setFn)(context, false);
                return true;
            }
        }

        return false;
    }
}
