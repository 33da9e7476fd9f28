using System.Diagnostics;

namespace NetLlm.Cli.Tests;

/// <summary>
/// Runs the real <c>netllm</c> executable built next to the tests (for what only its entry point does: signal
/// handlers, the configuration found in the working directory), with no NETLLM_* variable of the test run.
/// </summary>
internal static class NetllmProcess
{
    /// <summary>The start info of <c>netllm ARGS</c> in <paramref name="workingDirectory"/>, output redirected.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, params string[] args)
    {
        // A test run started in the background by a non-interactive shell (as CI may be) inherits SIGINT ignored, and
        // an ignored signal stays ignored across exec: env resets it to the default so netllm can install its handler.
        var start = new ProcessStartInfo("env") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--default-signal=INT,TERM", "dotnet", Path.Combine(AppContext.BaseDirectory, "netllm.dll"), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "NETLLM_DATA_ROOT", "NETLLM_SHARED_ROOT", "NETLLM_PLUGINS", "NETLLM_CONFIG" })
        {
            start.Environment.Remove(name);
        }

        return start;
    }

    /// <summary>Runs <c>netllm ARGS</c> to its end; fails the test when it takes longer than <paramref name="limit"/>.</summary>
    public static (int Exit, string Out, string Error) Run(string workingDirectory, TimeSpan limit, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, args))!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(limit), $"netllm {string.Join(' ', args)} did not finish within {limit}");
        return (process.ExitCode, output, error.GetAwaiter().GetResult());
    }
}
