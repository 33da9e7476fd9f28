using System.Diagnostics;
using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

/// <summary>
/// Runs the real <c>netllm</c> executable built next to the tests (for what only its entry point does: signal
/// handlers, the configuration found in the working directory), with no NETLLM_* variable of the test run.
/// </summary>
internal static class NetllmProcess
{
    private static string Dll => Path.Combine(AppContext.BaseDirectory, "netllm.dll");

    /// <summary>The start info of <c>netllm ARGS</c> in <paramref name="workingDirectory"/>, output redirected.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, params string[] args) => NetllmExecutable.StartInfo(Dll, workingDirectory, args);

    /// <summary>Runs <c>netllm ARGS</c> to its end; fails the test when it takes longer than <paramref name="limit"/>.</summary>
    public static (int Exit, string Out, string Error) Run(string workingDirectory, TimeSpan limit, params string[] args)
    {
        var (exit, output, error) = NetllmExecutable.Run(Dll, workingDirectory, limit, args);
        Assert.True(exit is not null, $"netllm {string.Join(' ', args)} did not finish within {limit}");
        return (exit!.Value, output, error);
    }
}
