using Microsoft.Extensions.Logging.Abstractions;
using NetLlm.Abstractions.Plugins;
using NetLlm.Cli;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Cli.Tests;

/// <summary>
/// Runs <c>netllm</c> command lines in-process over the repository's real plugins (bundled next to the test
/// binaries), capturing standard output and error. Shared by the tests of the <see cref="CliCollection"/>, which run
/// one at a time because the console is process-wide.
/// </summary>
public sealed class CliHarness : IDisposable
{
    private readonly PluginHost _host = PluginHost.Load([Path.Combine(AppContext.BaseDirectory, "plugins")]);

    /// <summary>The loaded plugins.</summary>
    public IPluginRegistry Registry => _host.Registry;

    /// <summary>Runs the command line; returns the exit code and what it printed.</summary>
    public (int Exit, string Out, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var exit = CliApp.Execute(_host, NullLoggerFactory.Instance, args);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    public void Dispose() => _host.Dispose();
}

/// <summary>The tests that run command lines (sequentially, sharing one plugin host).</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliHarness>
{
    public const string Name = "cli";
}
