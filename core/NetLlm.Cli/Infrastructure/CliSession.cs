using System.CommandLine;
using Microsoft.Extensions.Logging;
using NetLlm.Abstractions.Plugins;
using NetLlm.Hosting.Configuration;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Cli.Infrastructure;

/// <summary>
/// What one invocation runs with: the options (configuration file, environment and command line merged), the
/// loaded plugins, a logger and the cancellation token (Ctrl+C).
/// </summary>
public sealed class CliSession
{
    private CliSession(NetLlmOptions options, PluginHost host, ILogger logger, string? configPath, CancellationToken cancellation)
    {
        Options = options;
        Host = host;
        Logger = logger;
        ConfigPath = configPath;
        Cancellation = cancellation;
    }

    /// <summary>Effective options.</summary>
    public NetLlmOptions Options { get; }

    /// <summary>The loaded plugins.</summary>
    public PluginHost Host { get; }

    /// <summary>The plugin registry.</summary>
    public IPluginRegistry Registry => Host.Registry;

    /// <summary>Logger for the command.</summary>
    public ILogger Logger { get; }

    /// <summary>Configuration file in effect, if any.</summary>
    public string? ConfigPath { get; }

    /// <summary>Cancelled on Ctrl+C.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Seed in effect.</summary>
    public int Seed => Options.Seed;

    /// <summary>Builds the session for a parse result: reloads the configuration with the command-line overrides.</summary>
    /// <param name="parse">Parse result.</param>
    /// <param name="common">Common options.</param>
    /// <param name="host">Loaded plugins.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="cancellation">Cancellation.</param>
    public static CliSession Create(ParseResult parse, CommonOptions common, PluginHost host, ILogger logger, CancellationToken cancellation)
    {
        var configPath = NetLlmConfiguration.ResolvePath(parse.GetValue(common.Config));
        var overrides = new Dictionary<string, string?>
        {
            ["dataRoot"] = parse.GetValue(common.DataRoot),
            ["seed"] = parse.GetValue(common.Seed)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["threads"] = parse.GetValue(common.Threads)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["progress"] = parse.GetValue(common.Progress),
        };
        var options = NetLlmConfiguration.Load(configPath, overrides);
        if (options.Threads > 0)
        {
            TorchSharp.torch.set_num_threads(options.Threads);
        }

        // Thousands of "Could not initialize NNPACK" lines otherwise, on CPUs without NNPACK support.
        _ = NetLlm.Core.Native.Nnpack.Disable();

        // Freed activations stay in the C heap for the next step instead of being unmapped and faulted in again.
        _ = NetLlm.Core.Native.HeapTuning.Apply();

        return new CliSession(options, host, logger, configPath, cancellation);
    }

    /// <summary>The data root, or an error saying how to set it.</summary>
    public string RequireDataRoot()
    {
        return OptionalDataRoot ?? throw new ArgumentException(MissingDataRoot);
    }

    /// <summary>What a user without a data root is told.</summary>
    public const string MissingDataRoot = "no data root is configured: pass --data-root DIR, set NETLLM_DATA_ROOT or dataRoot in netllm.json (`netllm data fetch --data-root DIR` downloads the data)";

    /// <summary>The task context of a verb: data root, seed, logger, cancellation.</summary>
    /// <param name="verb">The verb.</param>
    public NetLlm.Abstractions.Tasks.TaskContext Context(NetLlm.Abstractions.Tasks.TaskVerb verb) => new()
    {
        Verb = verb,
        DataRoot = OptionalDataRoot,
        Seed = Seed,
        Logger = Logger,
        Cancellation = Cancellation,
        MissingDataRoot = MissingDataRoot,
    };

    /// <summary>The data root if configured, else null; a configured root that does not exist is a configuration error.</summary>
    public string? OptionalDataRoot
    {
        get
        {
            if (string.IsNullOrEmpty(Options.DataRoot))
            {
                return null;
            }

            var root = Path.GetFullPath(Options.DataRoot);
            return Directory.Exists(root)
                ? root
                : throw new ConfigurationException($"data root '{root}' does not exist (set by --data-root, NETLLM_DATA_ROOT or dataRoot in {ConfigPath ?? "netllm.json"}); `netllm data fetch --data-root DIR` downloads the data");
        }
    }
}
