using System.Diagnostics;

namespace NetLlm.Fuzz.Tests.Running;

/// <summary>
/// Runs command lines as <c>dotnet NETLLM_DLL ARGS</c> with no NETLLM_* variables: any build of the executable, so
/// the same cases can be fed to an older build for a before/after table. A command past its limit is killed.
/// </summary>
public sealed class ProcessCommandLine : ICommandLine
{
    private readonly string _netllmDll;

    /// <summary>Creates the runner for the executable <paramref name="netllmDll"/> (a netllm.dll).</summary>
    public ProcessCommandLine(string netllmDll)
    {
        if (!File.Exists(netllmDll))
        {
            throw new FileNotFoundException($"netllm executable not found: {netllmDll}", netllmDll);
        }

        _netllmDll = Path.GetFullPath(netllmDll);
    }

    /// <inheritdoc/>
    public string Description => "process: " + _netllmDll;

    /// <inheritdoc/>
    public CommandResult Run(string workingDirectory, TimeSpan limit, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(_netllmDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "NETLLM_DATA_ROOT", "NETLLM_SHARED_ROOT", "NETLLM_PLUGINS", "NETLLM_CONFIG" })
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new CommandResult(null, output.Result, error.Result, null);
        }

        process.WaitForExit();
        return new CommandResult(process.ExitCode, output.Result, error.Result, null);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
