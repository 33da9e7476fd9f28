using System.CommandLine;
using Microsoft.Extensions.Logging;
using NetLlm.Abstractions.Tasks;
using NetLlm.Cli.Commands;
using NetLlm.Cli.Infrastructure;
using NetLlm.Hosting.Plugins;
using NetLlm.Hosting.Configuration;

namespace NetLlm.Cli;

/// <summary>
/// The <c>netllm</c> application: loads the configuration and the plugins, builds the command tree (tasks add their
/// own options to the verbs) and runs the command.
/// </summary>
public static class CliApp
{
    /// <summary>Runs the command line; returns the process exit code.</summary>
    /// <param name="args">Arguments.</param>
    public static int Run(string[] args)
    {
        NetLlmOptions baseOptions;
        var givenConfig = PreScan(args, "--config").LastOrDefault();
        var configPath = NetLlmConfiguration.ResolvePath(givenConfig);
        try
        {
            baseOptions = NetLlmConfiguration.Load(configPath);
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }

        using var loggers = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = null; })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddFilter(level => level >= (Environment.GetEnvironmentVariable("NETLLM_DEBUG") == "1" ? LogLevel.Debug : LogLevel.Information)));

        using var signals = Interruption.Install();
        var roots = PluginDirectories.Resolve(PreScan(args, "--plugins-dir"), TrustedPluginsDir(baseOptions, configPath, givenConfig));
        using var host = PluginHost.Load(roots, loggers.CreateLogger("netllm.plugins"));
        return Execute(host, loggers, args);
    }

    /// <summary>
    /// Plugins run code, so only the user chooses where they come from: the install folder, <c>--plugins-dir</c>,
    /// <c>NETLLM_PLUGINS</c>, or <c>pluginsDir</c> of a configuration file passed with <c>--config</c> or
    /// <c>NETLLM_CONFIG</c>. A <c>netllm.json</c> merely found in the working directory (a checkout one just cloned)
    /// may set data options but not load code: its <c>pluginsDir</c> is ignored with a warning.
    /// </summary>
    private static string? TrustedPluginsDir(NetLlmOptions options, string? configPath, string? givenConfig)
    {
        var chosenByUser = givenConfig is not null || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NETLLM_CONFIG"));
        if (options.PluginsDir is null || chosenByUser)
        {
            return options.PluginsDir;
        }

        Console.Error.WriteLine($"warning: ignoring pluginsDir '{options.PluginsDir}' of {configPath}: a configuration found in the working directory does not choose which plugin code runs; pass --config {configPath} or --plugins-dir to use it");
        return null;
    }

    /// <summary>
    /// Builds the command tree for <paramref name="args"/> (task verbs for the task named by <c>--task</c>, with the
    /// options of the policies named), parses and runs it. Command-line errors exit with <see cref="ExitCodes.Usage"/>.
    /// </summary>
    /// <param name="host">Loaded plugins.</param>
    /// <param name="loggers">Logger factory.</param>
    /// <param name="args">Arguments.</param>
    public static int Execute(PluginHost host, ILoggerFactory loggers, string[] args)
    {
        var taskId = PreScan(args, "--task").LastOrDefault();
        var policies = PreScan(args, "--policy").Concat(PreScan(args, "--policies"))
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        RootCommand root;
        try
        {
            root = Build(host, loggers, taskId, policies);
        }
        catch (InvalidOperationException e)
        {
            // Two options records declare one option name with different types: a plugin authoring error.
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }

        var parse = root.Parse(args);
        var failed = host.Plugins.Count(p => p.Status == PluginStatus.Failed);
        if (failed > 0 && parse.CommandResult.Command.Name != "plugins")
        {
            Console.Error.WriteLine($"warning: {failed} plugin(s) failed to load; run `netllm plugins` for the reasons");
        }

        if (parse.Errors.Count > 0 && !parse.Tokens.Any(t => t.Value is "--help" or "-h" or "-?"))
        {
            return ParseErrors.Report(parse, host.Registry, taskId);
        }

        return parse.Invoke();
    }

    /// <summary>Builds the command tree over loaded plugins.</summary>
    /// <param name="host">Loaded plugins.</param>
    /// <param name="loggers">Logger factory.</param>
    /// <param name="taskId">The task named by <c>--task</c>, or null (task verbs are built for it).</param>
    /// <param name="policies">Policies named on the command line (their options are added).</param>
    public static RootCommand Build(PluginHost host, ILoggerFactory loggers, string? taskId = null, IReadOnlyList<string>? policies = null)
    {
        var common = new CommonOptions();
        var root = new RootCommand("netllm: adapt foundation LLMs to networking tasks (NetLLM, SIGCOMM 2024)");
        common.AddTo(root);
        var runner = new CommandRunner(common, host, loggers);
        root.Subcommands.Add(PluginsCommand.Create(runner));
        root.Subcommands.Add(DataCommand.Create(runner));
        root.Subcommands.Add(BackboneCommand.Create(runner));
        foreach (var verb in TaskVerbCommands.Create(runner, host, loggers, taskId, policies ?? []))
        {
            root.Subcommands.Add(verb);
        }

        root.Subcommands.Add(BenchCommand.Create(runner, host.Registry));
        root.Subcommands.Add(EvalCommand.Create(runner, host, loggers, taskId, policies ?? []));
        root.Subcommands.Add(DemoCommand.Create(runner, host.Registry));
        root.Subcommands.Add(RealtestCommand.Create(runner, host.Testbeds, taskId));
        root.Subcommands.Add(ServeCommand.Create(runner, host.Registry, taskId, policies ?? []));
        root.Subcommands.Add(SweepCommand.Create(runner, host, loggers, common));
        root.Subcommands.Add(ClusterCommand.Create(runner, host, loggers));
        return root;
    }

    /// <summary>Values of an option found by a plain scan of the arguments (before the full parse).</summary>
    /// <param name="args">Arguments.</param>
    /// <param name="name">Option name.</param>
    internal static List<string> PreScan(string[] args, string name)
    {
        var values = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == name && i + 1 < args.Length)
            {
                values.Add(args[++i]);
            }
            else if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                values.Add(args[i][(name.Length + 1)..]);
            }
        }

        return values;
    }
}
