using System.Diagnostics;
using System.Text;

namespace NetLlm.Templates.Tests.Infrastructure;

/// <summary>The outcome of a finished process.</summary>
/// <param name="Command">The command line, for messages.</param>
/// <param name="ExitCode">Exit code.</param>
/// <param name="Stdout">Standard output.</param>
/// <param name="Stderr">Standard error.</param>
/// <param name="Seconds">Wall time.</param>
internal sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr, double Seconds)
{
    /// <summary>Throws with the command and the end of its output unless it exited with 0.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"`{Command}` exited with {ExitCode} after {Seconds:F0} s:\n{Tail(Stdout)}\n--- stderr ---\n{Tail(Stderr)}");
        }

        return this;
    }

    private static string Tail(string text, int lines = 60)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}

/// <summary>
/// Runs <c>dotnet</c> (the SDK driver or an app) as a child process with a clean MSBuild environment: the variables
/// the parent <c>dotnet test</c> sets for its own MSBuild are removed so the child builds like a shell would.
/// </summary>
internal static class ProcessRunner
{
    private static readonly string[] InheritedBuildVariables =
    [
        "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly",
        "MSBUILDNOINPROCNODE", "DOTNET_CLI_UI_LANGUAGE", "VSTEST_HOST_DEBUG",
    ];

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> and waits (killing it after <paramref name="timeout"/>).</summary>
    /// <param name="workingDirectory">Working directory.</param>
    /// <param name="arguments">Arguments.</param>
    /// <param name="timeout">Limit.</param>
    /// <param name="environment">Extra or overridden environment variables.</param>
    public static ProcessResult DotNet(string workingDirectory, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in InheritedBuildVariables)
        {
            info.Environment.Remove(name);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["NETLLM_PLUGINS"] = string.Empty;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var command = "dotnet " + string.Join(' ', info.ArgumentList);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"`{command}` did not finish within {timeout.TotalMinutes:F0} min:\n{stdout}\n{stderr}");
        }

        process.WaitForExit();
        lock (stdout)
        {
            lock (stderr)
            {
                return new ProcessResult(command, process.ExitCode, stdout.ToString(), stderr.ToString(), clock.Elapsed.TotalSeconds);
            }
        }
    }

    /// <summary>Runs the netllm CLI built from this checkout.</summary>
    /// <param name="workingDirectory">Working directory.</param>
    /// <param name="arguments">CLI arguments.</param>
    /// <param name="timeout">Limit.</param>
    public static ProcessResult Netllm(string workingDirectory, IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        DotNet(workingDirectory, [Repository.Cli, .. arguments], timeout ?? TimeSpan.FromMinutes(5));
}
