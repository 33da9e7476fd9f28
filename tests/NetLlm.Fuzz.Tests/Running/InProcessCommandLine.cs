using Microsoft.Extensions.Logging.Abstractions;
using NetLlm.Cli;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Fuzz.Tests.Running;

/// <summary>
/// Runs command lines through <see cref="CliApp.Execute"/> over the repository's plugins bundled next to the tests,
/// capturing the console. Each command runs on its own thread; one that does not return in time is reported as a
/// hang and leaves this runner unusable (its thread still owns the console).
/// </summary>
public sealed class InProcessCommandLine : ICommandLine
{
    private readonly PluginHost _host = PluginHost.Load([Path.Combine(AppContext.BaseDirectory, "plugins")]);
    private bool _hung;

    /// <inheritdoc/>
    public string Description => "in-process (this build)";

    /// <inheritdoc/>
    public CommandResult Run(string workingDirectory, TimeSpan limit, IReadOnlyList<string> args)
    {
        if (_hung)
        {
            throw new InvalidOperationException("an earlier command hung; the in-process runner cannot continue");
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var (oldOut, oldError) = (Console.Out, Console.Error);
        int? exit = null;
        Exception? escaped = null;
        var thread = new Thread(() =>
        {
            try
            {
                exit = CliApp.Execute(_host, NullLoggerFactory.Instance, [.. args]);
            }
            catch (Exception e)
            {
                escaped = e;
            }
        }, maxStackSize: 16 << 20);
        Console.SetOut(TextWriter.Synchronized(output));
        Console.SetError(TextWriter.Synchronized(error));
        try
        {
            thread.Start();
            if (!thread.Join(limit))
            {
                _hung = true;
                return new CommandResult(null, output.ToString(), error.ToString(), null);
            }
        }
        finally
        {
            if (!_hung)
            {
                Console.SetOut(oldOut);
                Console.SetError(oldError);
            }
        }

        return new CommandResult(escaped is null ? exit : null, output.ToString(), error.ToString(), escaped);
    }

    /// <inheritdoc/>
    public void Dispose() => _host.Dispose();
}
