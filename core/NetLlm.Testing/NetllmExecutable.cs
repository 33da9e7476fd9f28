using System.Diagnostics;

namespace NetLlm.Testing;

/// <summary>
/// Runs a built <c>netllm</c> executable (<c>netllm.dll</c>) as its own process, for what only the entry point does
/// (signal handlers, plugin folders and the configuration chosen at start-up), with none of the test run's NETLLM_*
/// variables.
/// </summary>
public static class NetllmExecutable
{
    /// <summary>The variables removed from the child's environment.</summary>
    public static IReadOnlyList<string> ClearedVariables { get; } = ["NETLLM_DATA_ROOT", "NETLLM_SHARED_ROOT", "NETLLM_PLUGINS", "NETLLM_CONFIG"];

    /// <summary>The start info of <c>dotnet NETLLM_DLL ARGS</c> in <paramref name="workingDirectory"/>, output redirected.</summary>
    /// <param name="netllmDll">The executable's netllm.dll.</param>
    /// <param name="workingDirectory">Working directory.</param>
    /// <param name="args">Arguments.</param>
    public static ProcessStartInfo StartInfo(string netllmDll, string workingDirectory, IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);

        // A test run started in the background by a non-interactive shell (as CI may be) inherits SIGINT ignored, and
        // an ignored signal stays ignored across exec: env resets it to the default so netllm can install its handler.
        var start = new ProcessStartInfo("env") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--default-signal=INT,TERM", "dotnet", Path.GetFullPath(netllmDll), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in ClearedVariables)
        {
            start.Environment.Remove(name);
        }

        return start;
    }

    /// <summary>
    /// Runs <c>netllm ARGS</c> to its end; a run past <paramref name="limit"/> is killed and returns a null exit code.
    /// </summary>
    /// <param name="netllmDll">The executable's netllm.dll.</param>
    /// <param name="workingDirectory">Working directory.</param>
    /// <param name="limit">Time limit.</param>
    /// <param name="args">Arguments.</param>
    public static (int? Exit, string Out, string Error) Run(string netllmDll, string workingDirectory, TimeSpan limit, IEnumerable<string> args)
    {
        using var process = Process.Start(StartInfo(netllmDll, workingDirectory, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        int? exit = null;
        if (process.WaitForExit(limit))
        {
            process.WaitForExit();
            exit = process.ExitCode;
        }
        else
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        return (exit, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}
