using System.CommandLine;
using Microsoft.Extensions.Logging;
using NetLlm.Hosting.Configuration;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Cli.Infrastructure;

/// <summary>Runs a command's body with a session, turning exceptions into messages and exit codes.</summary>
public sealed class CommandRunner
{
    private readonly CommonOptions _common;
    private readonly PluginHost _host;
    private readonly ILoggerFactory _loggers;

    /// <summary>Creates the runner.</summary>
    /// <param name="common">Common options.</param>
    /// <param name="host">Loaded plugins.</param>
    /// <param name="loggers">Logger factory.</param>
    public CommandRunner(CommonOptions common, PluginHost host, ILoggerFactory loggers)
    {
        _common = common;
        _host = host;
        _loggers = loggers;
    }

    /// <summary>Sets <paramref name="command"/>'s action to run <paramref name="body"/> with a session.</summary>
    /// <param name="command">The command.</param>
    /// <param name="body">The command body; returns the exit code.</param>
    /// <param name="stopsOnSignal">
    /// True when the body observes the session's cancellation token at safe points: Ctrl+C or SIGTERM then cancels it
    /// and the command exits with <see cref="ExitCodes.Cancelled"/> after saving; otherwise a signal ends the process.
    /// </param>
    public void Bind(Command command, Func<ParseResult, CliSession, int> body, bool stopsOnSignal = false)
    {
        command.SetAction((parse, token) => System.Threading.Tasks.Task.FromResult(Execute(parse, token, body, command.Name, stopsOnSignal)));
    }

    private int Execute(ParseResult parse, CancellationToken token, Func<ParseResult, CliSession, int> body, string name, bool stopsOnSignal)
    {
        using var cooperation = stopsOnSignal ? Interruption.Cooperate() : null;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(token, Interruption.Token);
        try
        {
            var session = CliSession.Create(parse, _common, _host, _loggers.CreateLogger("netllm." + name), cancellation.Token);
            return body(parse, session);
        }
        catch (OperationCanceledException e)
        {
            Console.Error.WriteLine(e.Message == new OperationCanceledException().Message ? "cancelled" : "cancelled: " + e.Message);
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is ArgumentException or ConfigurationException or KeyNotFoundException or NotSupportedException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or InvalidOperationException or FormatException or TimeoutException or System.Net.Http.HttpRequestException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            if (Environment.GetEnvironmentVariable("NETLLM_DEBUG") == "1")
            {
                Console.Error.WriteLine(e);
            }

            return ExitCodes.Failure;
        }
    }
}
