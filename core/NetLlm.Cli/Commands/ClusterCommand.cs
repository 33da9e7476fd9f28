using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetLlm.Cli.Cluster;
using NetLlm.Cli.Infrastructure;
using NetLlm.Cluster;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Cli.Commands;

/// <summary>
/// <c>netllm cluster silo --cluster FILE [--silo-port N] [--gateway-port N]</c>: hosts an Orleans silo of the cluster
/// the file configures, over the same plugins as the CLI; its worker slots run the work items of every grid submitted
/// to the cluster (<c>netllm eval --cluster FILE</c>). Runs until Ctrl+C or SIGTERM.
/// </summary>
public static class ClusterCommand
{
    /// <summary>The line a silo prints on standard output once it has joined the cluster.</summary>
    public const string ReadyLine = "silo ready";

    /// <summary>Creates the command.</summary>
    /// <param name="runner">Command runner.</param>
    /// <param name="host">Loaded plugins.</param>
    /// <param name="loggers">Logger factory for the items' commands.</param>
    public static Command Create(CommandRunner runner, PluginHost host, ILoggerFactory loggers)
    {
        var file = ClusterOption.Create("Cluster configuration (JSON: clustering, redis, ports, artifacts, workers, leaseSeconds; see docs/cluster.md)");
        file.Required = true;
        var siloPort = new Option<int?>("--silo-port") { Description = "Silo-to-silo port (default: the configuration's siloPort); each silo on one machine needs its own" };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "Client gateway port (default: the configuration's gatewayPort)" };
        var silo = new Command("silo", "Host a silo that runs work items (evaluation runs, adapt runs) of the grids submitted to the cluster")
        {
            file, siloPort, gatewayPort,
        };
        runner.Bind(silo, (parse, session) =>
        {
            var config = ClusterConfig.Load(parse.GetValue(file)!);
            if (config.Clustering == ClusteringMode.InProcess)
            {
                throw new ArgumentException($"cluster configuration {config.Path}: clustering: an inprocess cluster lives inside the submitting command; use localhost or redis for silo processes");
            }

            var ports = (parse.GetValue(siloPort) ?? config.SiloPort, parse.GetValue(gatewayPort) ?? config.GatewayPort);
            using var silo = ClusterHost.Silo(host, loggers, config, ports.Item1, ports.Item2);
            silo.StartAsync(session.Cancellation).GetAwaiter().GetResult();
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ReadyLine}: cluster {config.ClusterId} ({config.Clustering.ToString().ToLowerInvariant()}), silo port {ports.Item1}, gateway port {ports.Item2}, {config.Workers} worker(s), process {Environment.ProcessId}"));
            Console.Out.Flush();
            session.Cancellation.WaitHandle.WaitOne();
            // A graceful stop hands the silo's grains over; after 15 s (the store is gone, say) it stops at once.
            using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
            {
                silo.StopAsync(limit.Token).GetAwaiter().GetResult();
            }

            Console.Out.WriteLine("silo stopped");
            return ExitCodes.Success;
        }, stopsOnSignal: true);
        return new Command("cluster", "Run grids on a Microsoft Orleans cluster (see docs/cluster.md)") { silo };
    }
}

/// <summary>The <c>--cluster FILE</c> option.</summary>
public static class ClusterOption
{
    /// <summary>Creates the option.</summary>
    /// <param name="description">Help text.</param>
    public static Option<string?> Create(string description) => new("--cluster") { Description = description };
}
