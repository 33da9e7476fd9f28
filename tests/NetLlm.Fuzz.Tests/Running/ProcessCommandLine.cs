using NetLlm.Testing;

namespace NetLlm.Fuzz.Tests.Running;

/// <summary>
/// Runs command lines as their own process with no NETLLM_* variables (<see cref="NetllmExecutable"/>): any build of the
/// executable, so the same cases can be fed to an older build for a before/after table. A command past its limit is
/// killed.
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
        var (exit, output, error) = NetllmExecutable.Run(_netllmDll, workingDirectory, limit, args);
        return new CommandResult(exit, output, error, null);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
